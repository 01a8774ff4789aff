"""Federation listens to the blog's one event and to the author's answers."""

from salon.blog.signals import posts_changed
from salon.conversations.signals import author_answered

from . import tasks


def _posts_changed(sender, post_ids, page_ids, **kwargs):
    if post_ids:
        tasks.federate_posts_later(sorted(post_ids))


def _author_answered(sender, response, parent, **kwargs):
    tasks.answer_later(response.pk, parent.pk)


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.federation.posts_changed")
    author_answered.connect(_author_answered, dispatch_uid="salon.federation.author_answered")
