"""The library follows the blog: one receiver of ``posts_changed`` (lone links to discover),
and the files of a deleted image go with its row."""

from django.db import transaction
from django.db.models.signals import post_delete

from salon.blog.signals import posts_changed

from . import library, tasks
from .models import Image


def _posts_changed(sender, post_ids, page_ids, **kwargs):
    if post_ids or page_ids:
        tasks.find_embeds_later(post_ids, page_ids)


def _image_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: library.delete_files(instance))


def connect():
    posts_changed.connect(_posts_changed, dispatch_uid="salon.media.posts_changed")
    post_delete.connect(_image_deleted, sender=Image, dispatch_uid="salon.media.image_deleted")
