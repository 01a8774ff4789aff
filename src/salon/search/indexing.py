"""Writing the index: one post at a time (after each change) or everything (rebuild)."""

from django.db import transaction
from django.utils import timezone

from salon.blog.models import Post

from .backends import get_backend
from .models import SearchDocument
from .text import filter_terms, html_to_text, terms


def indexable_posts():
    """Posts the index holds: public published ones and scheduled ones (shown once their date
    has come, which the search checks at query time, so no re-indexing is needed then);
    never drafts, unlisted or private posts."""
    return Post.objects.listable()


def build_document(post):
    """An unsaved ``SearchDocument`` for a post whose tags and summaries are prefetched.

    Every text is analysed in its own language: title, body and tags in the post's, each
    summary in its own (which is what lets an English query find a French post through its
    English summary).
    """
    language = post.language
    body_text = "" if post.password else html_to_text(post.body_html)
    summaries = sorted(post.summaries.all(), key=lambda summary: summary.language)
    tags = list(post.tags.all())
    year = timezone.localtime(post.published_at).year
    return SearchDocument(
        post=post,
        language=language,
        published_at=post.published_at,
        year=year,
        body_text=body_text,
        title_terms=terms(post.title, language),
        tag_terms=" ".join(terms(tag.name, language) for tag in tags),
        summary_terms=" ".join(terms(summary.text, summary.language) for summary in summaries),
        body_terms=terms(body_text, language),
        filter_terms=filter_terms(language, year, [tag.slug for tag in tags]),
        indexed_at=timezone.now(),
    )


def index_post(post_id):
    """Bring one post's entry up to date: add or refresh it, or remove it when the post is a
    draft again or gone. Returns True when the post is in the index afterwards."""
    post = indexable_posts().prefetch_related("tags", "summaries").filter(pk=post_id).first()
    if post is None:
        SearchDocument.objects.filter(post_id=post_id).delete()
        return False
    build_document(post).save()  # an UPDATE when the entry exists, else an INSERT
    return True


def rebuild(progress=None, batch_size=500):
    """Index every post again, in batches of one transaction each, so the site keeps its
    index (old entries until replaced) while this runs. ``progress(done, total)`` is called
    after each batch. Returns the number of posts indexed."""
    ids = list(indexable_posts().order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    if progress:
        progress(0, total)
    done = 0
    for start in range(0, total, batch_size):
        chunk = ids[start : start + batch_size]
        posts = Post.objects.filter(pk__in=chunk).prefetch_related("tags", "summaries")
        documents = [build_document(post) for post in posts]
        with transaction.atomic():
            SearchDocument.objects.filter(post_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)
        done += len(chunk)
        if progress:
            progress(done, total)
    # Entries of posts that became drafts or disappeared meanwhile.
    SearchDocument.objects.exclude(post__in=indexable_posts()).delete()
    get_backend().optimize()
    return done
