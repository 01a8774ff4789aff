"""The similar-posts index and its stored lists.

Everything here is derived from the blog's posts and can be recomputed with
``salon similar rebuild``. The links to posts are plain ids without database constraints on
purpose: deleting a post must not wait for (or be blocked by) its index rows, which the
background update removes right after; the page reads lists through an inner join on the post
table, so a row left for a deleted post is never shown.

- ``Term``: one row per index term, with its document frequency and its posting list (the
  inverted index). A term is a stem in one language space (``fr:numer``) or a tag (``#12``).
- ``Document``: one row per indexed post: its vector (its heaviest terms with their weights,
  normalised, truncated), every term id it contains (to keep document frequencies right when
  it changes) and the state of its list.

Posting lists and vectors are packed numpy arrays in binary columns: scoring one post against
all others reads one row per term of the post and sums in numpy, which is what keeps an update
fast on a large blog (a row per posting summed by SQL was ten times slower).
- ``SimilarPost``: a post's stored list, one row per similar post with its score.
- ``IndexState``: one row: when and on how many posts the last full rebuild ran, and the
  floors of all lists (see below).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from salon.blog.models import Post


class Term(models.Model):
    key = models.CharField(max_length=80, unique=True)
    df = models.PositiveIntegerField(default=0)
    # The posting list: every post whose vector holds this term, with its weight, packed as
    # a numpy array of ``POSTING`` (see vectors.py); a negative weight comes from a summary.
    postings = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self):
        return f"{self.key} ({self.df})"


class Document(models.Model):
    post = models.OneToOneField(
        Post, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    # The post's vector, packed as a numpy array of ``ENTRY`` (term id, signed weight).
    vector = models.BinaryField(default=b"")
    # Ids of every term of the post (before truncation), to keep document frequencies right.
    terms = models.BinaryField(default=b"")
    # The list holds every post scoring at least the minimum (so any newcomer may enter it).
    complete = models.BooleanField(default=True)
    # Lowest score in the list (0 when empty): a newcomer must beat it to enter a full list.
    floor = models.FloatField(default=0)
    size = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"post {self.post_id}: {self.size} similar"


class SimilarPost(models.Model):
    # No index of its own: the unique constraint's index (post, similar) serves it.
    post = models.ForeignKey(
        Post, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    similar = models.ForeignKey(
        Post, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
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
    # Every list's floor (-1 when the list is complete), packed as a numpy array of ``FLOOR``
    # sorted by post: which lists an updated post enters is one lookup, not a row per list.
    # It mirrors Document.floor/complete; an update locks this row, so updates serialise.
    floors = models.BinaryField(default=b"")
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"rebuilt {self.rebuilt_at} on {self.posts_at_rebuild} posts"

    @classmethod
    def get(cls):
        return cls.objects.get_or_create(pk=1)[0]
