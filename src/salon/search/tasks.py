"""Background work of the search index (run by ``salon worker``; at once in tests)."""

from django_tasks import task

from . import indexing


@task()
def index_posts(post_ids):
    """Bring the index entries of these posts up to date (each added, refreshed or removed)."""
    for post_id in post_ids:
        indexing.index_post(post_id)
