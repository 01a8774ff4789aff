"""Background work of the similar-posts index (run by ``salon worker``).

The only module of this app that enqueues: the receiver of ``posts_changed`` calls
``update_later()``; the index itself knows nothing of tasks (it says when it wants a rebuild,
``refresh_posts`` queues it).
"""

import logging

from django.db import transaction
from django_tasks import task

from . import index

logger = logging.getLogger(__name__)

# Above this many changed posts (an import, a tag carried by hundreds of posts), one full
# rebuild is cheaper than refreshing them one by one.
REBUILD_THRESHOLD = 200


def update_later(post_ids):
    """Queue the update of the index after these posts changed (or were deleted)."""
    if len(post_ids) > REBUILD_THRESHOLD:
        rebuild_index.enqueue()
    elif post_ids:
        refresh_posts.enqueue(sorted(post_ids))


@task()
def refresh_posts(post_ids):
    """Update the index and the lists after these posts changed (or were deleted)."""
    changed = set()
    for post_id in post_ids:
        changed |= index.refresh_post(post_id)
    if index.rebuild_wanted():
        transaction.on_commit(rebuild_index.enqueue)
    return sorted(changed)


@task()
def rebuild_index():
    """Recompute every list (asked for when the blog has grown since the last rebuild)."""
    figures = index.rebuild()
    logger.info("similar posts rebuilt: %s", figures)
    return figures
