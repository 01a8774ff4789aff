"""Background work of the similar-posts index (run by ``salon worker``)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def refresh_posts(post_ids):
    """Update the index and the lists after these posts changed (or were deleted)."""
    from .index import refresh_post

    changed = set()
    for post_id in post_ids:
        changed |= refresh_post(post_id)
    return sorted(changed)


@task()
def rebuild_index():
    """Recompute every list (asked for when the blog has grown since the last rebuild)."""
    from .index import rebuild

    figures = rebuild()
    logger.info("similar posts rebuilt: %s", figures)
    return figures
