"""Scheduled posts are published by the worker at their time, however they were scheduled
(the writing page, the admin, an import): one receiver of the blog's ``posts_changed``."""

from salon.blog.signals import posts_changed

from . import tasks


def _posts_changed(sender, post_ids, **kwargs):
    tasks.publish_when_due(post_ids)


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.studio.posts_changed")
