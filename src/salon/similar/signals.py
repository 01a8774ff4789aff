"""Signals: the one this app sends, and the blog events it listens to.

``lists_changed`` (sent after the change is committed)
    Some stored lists of similar posts changed, so the pages showing them are out of date.
    Arguments: ``post_ids``, the ids of the posts whose list changed, or ``None`` after a full
    rebuild (every list may have changed). A page cache listens to it to purge those pages.

The receivers connected in ``SimilarConfig.ready()`` schedule the update of a post's entry in
the index after the transaction that changed it commits: when the post is saved or deleted,
when its summaries change and when its tags change (from either side of the relation).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import Signal

lists_changed = Signal()


def schedule(post_ids):
    """Update these posts in the index once the current transaction has committed."""
    post_ids = sorted({int(post_id) for post_id in post_ids if post_id is not None})
    if not post_ids:
        return
    from .tasks import refresh_posts

    transaction.on_commit(lambda: refresh_posts.enqueue(post_ids))


def post_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule([instance.pk])


def summary_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule([instance.post_id])


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            schedule([instance.pk])
        return
    # From the tag's side: tag.posts.add(...), or tag.posts.clear() (ids known before).
    if action == "pre_clear":
        schedule(instance.posts.values_list("pk", flat=True))
    elif action != "post_clear":
        schedule(pk_set or ())


def tag_deleted(sender, instance, **kwargs):
    """Deleting a tag removes it from its posts without any m2m signal."""
    schedule(instance.posts.values_list("pk", flat=True))


# Above this many imported posts, one full rebuild is cheaper than refreshing them one by one.
IMPORT_REBUILD_THRESHOLD = 200


def site_imported(sender, post_ids=(), **kwargs):
    """A WordPress import writes posts in bulk (no post_save): index what it brought.

    Sent after the import's commit, so the task can be queued at once."""
    from .tasks import rebuild_index, refresh_posts

    post_ids = sorted(post_ids)
    if len(post_ids) > IMPORT_REBUILD_THRESHOLD:
        rebuild_index.enqueue()
    elif post_ids:
        refresh_posts.enqueue(post_ids)


def connect():
    from salon.blog.models import Post, PostSummary, Tag
    from salon.portability.signals import site_imported as imported

    uid = "salon.similar"
    post_save.connect(post_changed, sender=Post, dispatch_uid=f"{uid}.post_saved")
    post_delete.connect(post_changed, sender=Post, dispatch_uid=f"{uid}.post_deleted")
    post_save.connect(summary_changed, sender=PostSummary, dispatch_uid=f"{uid}.summary_saved")
    post_delete.connect(summary_changed, sender=PostSummary,
                        dispatch_uid=f"{uid}.summary_deleted")
    m2m_changed.connect(tags_changed, sender=Post.tags.through, dispatch_uid=f"{uid}.tags")
    pre_delete.connect(tag_deleted, sender=Tag, dispatch_uid=f"{uid}.tag_deleted")
    imported.connect(site_imported, dispatch_uid=f"{uid}.site_imported")
