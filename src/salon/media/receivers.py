"""The library follows the blog: one receiver of ``posts_changed`` and ``drafts_changed`` (lone
links to discover, drafts included: the preview shows embeds), and the files of a deleted image
or embed go with its row."""

from django.db import transaction
from django.db.models.signals import post_delete

from salon.blog.signals import drafts_changed, posts_changed

from . import embeds, library, tasks
from .models import Embed, Image


def _posts_changed(sender, post_ids, page_ids=(), **kwargs):
    """Public posts and pages, and drafts too (``drafts_changed``): the preview shows embeds."""
    if post_ids or page_ids:
        tasks.find_embeds_later(post_ids, page_ids)


def _image_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: library.delete_files(instance))


def _embed_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: embeds.remove_thumbnail(instance))


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.media.posts_changed")
    drafts_changed.connect(_posts_changed, dispatch_uid="salon.media.drafts_changed")
    post_delete.connect(_image_deleted, sender=Image, dispatch_uid="salon.media.image_deleted")
    post_delete.connect(_embed_deleted, sender=Embed, dispatch_uid="salon.media.embed_deleted")
