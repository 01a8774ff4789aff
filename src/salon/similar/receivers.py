"""The index follows the blog: one receiver of the blog's ``posts_changed`` event.

The event is sent after the commit, so the task it queues sees the saved rows; the task reads
each post again, so a deleted or unpublished post leaves the lists.
"""

from salon.blog.signals import posts_changed

from . import tasks


def _posts_changed(sender, post_ids, **kwargs):
    tasks.update_later(post_ids)


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.similar.posts_changed")
