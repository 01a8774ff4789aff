"""The index follows the blog: one receiver of the blog's ``posts_changed`` event.

The event is sent after the commit, so the tasks see the saved rows (and a rolled-back change
indexes nothing); the task reads each post again and adds, refreshes or removes its entry.
Deleting a post removes its entry at once (the entry cascades with the post); the task then
only confirms it is gone.
"""

from salon.blog.signals import posts_changed

from . import tasks


def _posts_changed(sender, post_ids, **kwargs):
    tasks.index_later(post_ids)


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.search.posts_changed")
