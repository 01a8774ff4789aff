"""The similar-posts index and its stored lists.

Everything here is derived from the blog's posts and can be recomputed with
``salon similar rebuild``. The links to posts are plain ids without database constraints on
purpose: deleting a post must not wait for (or be blocked by) its index rows, which the
background update removes right after; the page reads lists through an inner join on the post
table, so a row left for a deleted post is never shown.

- ``Term``: one row per index term and its document frequency. A term is a stem in one
  language space (``fr:numer``, ``en:digit``) or a tag (``#12``).
- ``Posting``: the heaviest terms of each post with their weights (the post's vector,
  normalised, truncated) and whether they come from a summary; looked up by term, it is
  also the inverted index.
- ``Document``: what the index knows about one post besides its vector: every term id it
  contains (to keep document frequencies right when it changes) and the state of its list.
- ``SimilarPost``: a post's stored list, one row per similar post with its score.
- ``IndexState``: one row: when and on how many posts the last full rebuild ran.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from salon.blog.models import Post


class Term(models.Model):
    key = models.CharField(max_length=80, unique=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self):
        return f"{self.key} ({self.df})"


class Posting(models.Model):
    pk = models.CompositePrimaryKey("term", "post")
    term = models.ForeignKey(Term, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    post = models.ForeignKey(Post, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    weight = models.FloatField()
    # The term comes from a summary: it counts against other posts' own text only.
    summary = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.term_id} in {self.post_id}: {self.weight:.4f}"


class Document(models.Model):
    post = models.OneToOneField(Post, on_delete=models.DO_NOTHING, db_constraint=False,
                                primary_key=True, related_name="+")
    # Space-separated ids of every term of the post's full vector (before truncation).
    term_ids = models.TextField(blank=True)
    # The list holds every post scoring at least the minimum (so any newcomer may enter it).
    complete = models.BooleanField(default=True)
    # Lowest score in the list (0 when empty): a newcomer must beat it to enter a full list.
    floor = models.FloatField(default=0)
    size = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"post {self.post_id}: {self.size} similar"

    def terms(self):
        return [int(term_id) for term_id in self.term_ids.split()]


class SimilarPost(models.Model):
    post = models.ForeignKey(Post, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    similar = models.ForeignKey(Post, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    score = models.FloatField()

    class Meta:
        verbose_name = _("similar post")
        verbose_name_plural = _("similar posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "similar"], name="similar_once_per_list"),
        ]

    def __str__(self):
        return f"{self.post_id} ~ {self.similar_id} ({self.score:.3f})"


class IndexState(models.Model):
    posts_at_rebuild = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"rebuilt {self.rebuilt_at} on {self.posts_at_rebuild} posts"

    @classmethod
    def get(cls):
        return cls.objects.get_or_create(pk=1)[0]
