"""The blog's one event, and the receivers that gather it (docs/design/events.md).

``posts_changed`` (sent once per transaction, after it commits)
    Something the blog shows changed: a post or a page, a summary, a tag, a series, the tags of
    a post, an import. Every app that keeps something derived from posts (the search index, the
    similar lists, the kept pages) connects ONE receiver to it, in its ``AppConfig.ready()``,
    and does its work there, or enqueues it through its ``tasks.py``; it never listens to the
    blog's models itself. Arguments:

    - ``sender``: the ``Post`` model;
    - ``post_ids``: a ``frozenset`` of the ids of the posts whose shown content may have
      changed: saved or deleted posts, posts whose summaries, tags or series changed, the posts
      of a renamed or deleted tag or series, imported posts. Deleted, unpublished and rolled-back
      posts are in it too: a receiver reads the rows again and treats a missing or draft post as
      one to forget (so no separate ``deleted`` argument: nobody needs to tell removal apart);
    - ``page_ids``: a ``frozenset`` of the ids of the pages (``Page``) saved, deleted or whose
      summaries changed. Only the page cache cares: search and similar posts index posts only.

    Posts that were drafts before and after every change of the transaction are NOT in
    ``post_ids``: nothing readers see changed (the writing page autosaves a draft every few
    seconds; emptying the page cache and re-indexing each time would be waste). They go to
    ``drafts_changed`` instead (same arguments but ``page_ids``), for what serves the author
    (the media library finds the embeds the preview shows). A transaction that changed only
    drafts sends no ``posts_changed`` at all. The rule is here and nowhere else: "public face"
    means the post's status is not draft, before or after (a scheduled post counts: its time
    will come, and ``studio`` must hear of it).

    Both sets may be empty: a new tag or an empty series changes no post, but lists of tags or
    series may show it, so the kept pages must still go. A post's translation link is one of
    its fields: saving it carries the post's id (its siblings' pages are purged with every other
    kept page, and the similar lists exclude translations when the post is refreshed).

    Ids are gathered for the whole transaction (100 saves in one transaction send one event);
    outside a transaction each change is its own transaction and sends at once. A rollback
    sends nothing. A savepoint rolled back inside a larger transaction may leave its ids in the
    event: a receiver reads the rows again, so a change that did not happen costs a refresh,
    never a wrong result.

Code that writes posts without ``save()`` (the importers' bulk SQL, ``QuerySet.update()``)
calls ``mark_changed(post_ids=..., page_ids=...)`` inside its transaction.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

from .models import Page, PageSummary, Post, PostSummary, Series, Status, Tag

posts_changed = Signal()
drafts_changed = Signal()


def mark_changed(post_ids=(), page_ids=(), using=None, shown=False):
    """Note that these posts and pages changed: ``posts_changed`` carries them once the current
    transaction commits (at once outside a transaction), unless they are drafts then (they go
    to ``drafts_changed``). Code that turns a public post into a draft without ``save()`` passes
    ``shown=True``: its readers must hear that it is gone."""
    post_ids = list(post_ids)
    _note(post_ids, page_ids, using, shown=post_ids if shown else ())


def _note(post_ids=(), page_ids=(), using=None, shown=(), deleted_drafts=()):
    """``shown``: ids known to have been public (not draft) before or after the change;
    ``deleted_drafts``: ids deleted while drafts. Other ids are read after the commit."""
    connection = transaction.get_connection(using)
    pending = getattr(connection, "_salon_posts_changed", None)
    if pending is None or not pending.is_waiting(connection):
        pending = _Pending(connection.alias)
        connection._salon_posts_changed = pending
    pending.add(post_ids, page_ids, shown, deleted_drafts)
    # One callback per change, all sharing the gathered ids: the first to run sends them, the
    # others find them sent. (A single callback would be enough in production; a test that
    # captures the on-commit callbacks of a block only runs those registered inside it.)
    transaction.on_commit(pending.send, using=using)


class _Pending:
    """The ids gathered during one transaction, sent once after its commit."""

    def __init__(self, using):
        self.using = using
        self.post_ids, self.page_ids = set(), set()
        self.shown, self.deleted_drafts = set(), set()
        self.bare = False  # a change naming no post nor page (a new tag): the pages must go
        self.sent = False

    def add(self, post_ids, page_ids, shown=(), deleted_drafts=()):
        post_ids = {int(pk) for pk in post_ids if pk is not None}
        page_ids = {int(pk) for pk in page_ids if pk is not None}
        self.bare = self.bare or not (post_ids or page_ids)
        self.post_ids |= post_ids
        self.page_ids |= page_ids
        self.shown.update(int(pk) for pk in shown if pk is not None)
        self.deleted_drafts.update(int(pk) for pk in deleted_drafts if pk is not None)

    def drafts(self):
        """The ids that were drafts before and after: not known shown, and a draft now (or
        deleted while a draft)."""
        unknown = self.post_ids - self.shown
        if not unknown:
            return set()
        rows = dict(
            Post.objects.using(self.using).filter(pk__in=unknown).values_list("pk", "status")
        )
        return {
            pk
            for pk in unknown
            if rows.get(pk) == Status.DRAFT or (pk not in rows and pk in self.deleted_drafts)
        }

    def is_waiting(self, connection):
        """Not sent yet, and some callback of it still registered in this transaction (a
        rollback drops them, and with them the ids noted in what was rolled back)."""
        return (
            not self.sent
            and connection.in_atomic_block
            and any(
                getattr(callback, "__self__", None) is self
                for _, callback, _ in connection.run_on_commit
            )
        )

    def send(self):
        if self.sent:
            return
        self.sent = True
        drafts = self.drafts()
        public = self.post_ids - drafts
        if drafts:
            drafts_changed.send(sender=Post, post_ids=frozenset(drafts))
        if public or self.page_ids or self.bare:
            posts_changed.send(
                sender=Post, post_ids=frozenset(public), page_ids=frozenset(self.page_ids)
            )


# The receivers: every way a post's shown content changes through the models. -----------------


def _post_about_to_be_saved(sender, instance, using, **kwargs):
    """A draft about to be saved: was it public before? (A non-draft is shown after anyway.)"""
    if instance.pk is None or instance._state.adding or instance.status != Status.DRAFT:
        return
    before = Post.objects.using(using).filter(pk=instance.pk).values_list("status", flat=True)
    instance._salon_was_shown = before.first() not in (None, Status.DRAFT)


def _post_saved(sender, instance, using, **kwargs):
    shown = instance.status != Status.DRAFT or getattr(instance, "_salon_was_shown", False)
    instance._salon_was_shown = False
    _note(post_ids=[instance.pk], using=using, shown=[instance.pk] if shown else ())


def _post_deleted(sender, instance, using, **kwargs):
    draft = instance.status == Status.DRAFT
    _note(
        post_ids=[instance.pk],
        using=using,
        shown=() if draft else [instance.pk],
        deleted_drafts=[instance.pk] if draft else (),
    )


def _page_saved_or_deleted(sender, instance, using, **kwargs):
    _note(page_ids=[instance.pk], using=using)


def _post_summary_changed(sender, instance, using, **kwargs):
    _note(post_ids=[instance.post_id], using=using)


def _page_summary_changed(sender, instance, using, **kwargs):
    _note(page_ids=[instance.page_id], using=using)


def _post_tags_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """``post.tags.add/remove/set/clear()`` and, from the tag's side, ``tag.posts...()``."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            _note(post_ids=[instance.pk], using=using)
    elif action in {"post_add", "post_remove"}:
        _note(post_ids=pk_set or (), using=using)
    elif action == "pre_clear":  # tag.posts.clear(): its posts are read before the links go
        _note(post_ids=_posts_of(instance, using), using=using)


def _posts_of(instance, using):
    """The posts of a tag or a series, read now (before a deletion unlinks them)."""
    if instance.pk is None:
        return []
    return list(instance.posts.using(using).values_list("pk", flat=True))


def _tag_or_series_saved(sender, instance, created, using, **kwargs):
    """A renamed tag or series: its posts show (and search indexes) the new name."""
    _note(post_ids=[] if created else _posts_of(instance, using), using=using)


def _tag_or_series_deleted(sender, instance, using, **kwargs):
    """Deleting a tag unlinks its posts, and deleting a series empties their series field,
    without any signal for the posts: they are read before."""
    _note(post_ids=_posts_of(instance, using), using=using)


def connect():
    """Connected once, from ``BlogConfig.ready()``."""
    uid = "salon.blog.posts_changed"
    pre_save.connect(_post_about_to_be_saved, sender=Post, dispatch_uid=f"{uid}.post.saving")
    post_save.connect(_post_saved, sender=Post, dispatch_uid=f"{uid}.post.saved")
    post_delete.connect(_post_deleted, sender=Post, dispatch_uid=f"{uid}.post.deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_page_saved_or_deleted, sender=Page, dispatch_uid=f"{uid}.page.{name}")
        signal.connect(
            _post_summary_changed, sender=PostSummary, dispatch_uid=f"{uid}.post_summary.{name}"
        )
        signal.connect(
            _page_summary_changed, sender=PageSummary, dispatch_uid=f"{uid}.page_summary.{name}"
        )
    m2m_changed.connect(_post_tags_changed, sender=Post.tags.through, dispatch_uid=f"{uid}.tags")
    for model in (Tag, Series):
        post_save.connect(
            _tag_or_series_saved, sender=model, dispatch_uid=f"{uid}.{model.__name__}.saved"
        )
        pre_delete.connect(
            _tag_or_series_deleted, sender=model, dispatch_uid=f"{uid}.{model.__name__}.deleted"
        )
