"""Federation listens to the blog's one event and to the author's answers."""

from django.db.models.signals import pre_delete

from salon.blog.signals import posts_changed
from salon.conversations.models import Response
from salon.conversations.signals import author_answered

from . import tasks


def _posts_changed(sender, post_ids, page_ids, **kwargs):
    if post_ids:
        tasks.federate_posts_later(sorted(post_ids))


def _author_answered(sender, response, parent, **kwargs):
    tasks.answer_later(response.pk, parent.pk)


def _response_deleted(sender, instance, **kwargs):
    """Before an answer that went to the fediverse is deleted, tell its server."""
    if instance.by_author and instance.parent_id:
        tasks.withdraw_answer(instance)


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.federation.posts_changed")
    author_answered.connect(_author_answered, dispatch_uid="salon.federation.author_answered")
    pre_delete.connect(
        _response_deleted, sender=Response, dispatch_uid="salon.federation.response_deleted"
    )
