"""Background work of the search index (run by ``salon worker``; at once in tests).

The only module of this app that enqueues: the receiver of ``posts_changed`` calls
``index_later()``.
"""

from django_tasks import task

from . import indexing

# Posts re-indexed by one task: an import of thousands is spread over several tasks.
BATCH = 500


@task()
def index_posts(post_ids):
    """Bring the index entries of these posts up to date (each added, refreshed or removed)."""
    if len(post_ids) == 1:
        indexing.index_post(post_ids[0])
    else:
        indexing.index_many(post_ids)
    indexing.announce(post_ids)


def index_later(post_ids):
    """Queue the re-indexing of these posts, ``BATCH`` posts a task."""
    post_ids = sorted(post_ids)
    for start in range(0, len(post_ids), BATCH):
        index_posts.enqueue(post_ids[start : start + BATCH])
