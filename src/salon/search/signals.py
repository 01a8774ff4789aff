"""The index follows the blog: every change to a post, its summaries or its tags schedules a
re-index of the posts concerned, after the transaction commits (so the task sees the saved
rows, and a rolled-back change indexes nothing).

Deleting a post removes its entry at once (the entry cascades with the post); the task then
only confirms it is gone.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from salon.blog.models import Post, PostSummary, Tag


def schedule(post_ids):
    """Re-index these posts once the current transaction commits.

    An admin save touches a post, its summaries and its tags: the posts scheduled during one
    transaction are gathered into a single task. The gathering is tied to the on-commit
    callback: when a rollback drops the callback, the next change starts a new gathering.
    """
    post_ids = {int(pk) for pk in post_ids if pk is not None}
    if not post_ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_salon_search_pending", None)
    if pending is not None and not pending.done and connection.in_atomic_block and any(
        callback is pending for _, callback, _ in connection.run_on_commit
    ):
        pending.post_ids |= post_ids
        return
    pending = _Pending(post_ids)
    connection._salon_search_pending = pending
    transaction.on_commit(pending)


class _Pending:
    def __init__(self, post_ids):
        self.post_ids = set(post_ids)
        self.done = False

    def __call__(self):
        self.done = True
        from .tasks import index_posts

        index_posts.enqueue(sorted(self.post_ids))


def post_changed(sender, instance, **kwargs):
    schedule([instance.pk])


def summary_changed(sender, instance, **kwargs):
    schedule([instance.post_id])


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        # post.tags.add/remove/clear/set: one post.
        if action != "pre_clear":
            schedule([instance.pk])
    elif action == "pre_clear":
        # tag.posts.clear(): the posts must be read before the links go.
        schedule(instance.posts.values_list("pk", flat=True))
    elif action != "post_clear":
        schedule(pk_set or ())


def tag_saved(sender, instance, created, **kwargs):
    if not created:
        # A renamed tag: the posts carrying it are indexed under its old name.
        schedule(instance.posts.values_list("pk", flat=True))


def tag_deleted(sender, instance, **kwargs):
    schedule(instance.posts.values_list("pk", flat=True))


def site_imported(sender, post_ids=(), **kwargs):
    """A WordPress import writes posts in bulk (no post_save): index what it brought, in
    batches. Sent after the import's commit, so the tasks can be queued at once."""
    from .tasks import index_posts

    post_ids = sorted(post_ids)
    for start in range(0, len(post_ids), 500):
        index_posts.enqueue(post_ids[start:start + 500])


def connect():
    from salon.portability.signals import site_imported as imported

    dispatch = "salon.search"
    imported.connect(site_imported, dispatch_uid=f"{dispatch}.site_imported")
    post_save.connect(post_changed, sender=Post, dispatch_uid=f"{dispatch}.post_saved")
    post_delete.connect(post_changed, sender=Post, dispatch_uid=f"{dispatch}.post_deleted")
    post_save.connect(summary_changed, sender=PostSummary,
                      dispatch_uid=f"{dispatch}.summary_saved")
    post_delete.connect(summary_changed, sender=PostSummary,
                        dispatch_uid=f"{dispatch}.summary_deleted")
    m2m_changed.connect(tags_changed, sender=Post.tags.through,
                        dispatch_uid=f"{dispatch}.tags_changed")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid=f"{dispatch}.tag_saved")
    pre_delete.connect(tag_deleted, sender=Tag, dispatch_uid=f"{dispatch}.tag_deleted")
