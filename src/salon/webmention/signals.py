"""What Webmention does when a post changes (receivers connected in ``AppConfig.ready()``).

- a post saved: its Webmentions are (re)planned after the commit, its reply context fetched
  when the URL it answers is new or could not be read before, and a tombstone at its address
  is lifted;
- the author answered a Webmention (``conversations.signals.author_answered``): the answer goes
  back to the response's source as a Webmention of its own (``sending.plan_answer``), and is
  sent once more when the answer is deleted, so the source removes it;
- a post deleted: a tombstone keeps its address answering 410 Gone, and every link it had gets
  one last Webmention so receivers re-read it and remove their copy.

Bulk writers (importers) wrap their work in ``muted()`` so thousands of old posts do not send
anything; posts *created* with a publication date older than two days are not announced either.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

from salon.blog.models import Post
from salon.conversations import signals as conversations_signals
from salon.conversations.models import Origin, Response

from . import conf, sending, tasks
from .models import DeletedPost, ReplyContext

_muted = ContextVar("salon_webmention_muted", default=False)


@contextmanager
def muted():
    """Save or delete posts without sending Webmentions or fetching reply contexts."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def post_saved(sender, instance, created, raw=False, **kwargs):
    if raw or _muted.get():
        return
    post = instance
    DeletedPost.objects.filter(path=post.get_absolute_url()).delete()
    post_id = post.pk
    if post.in_reply_to_url:
        # Read again when the original is new, or when it could not be read last time (each
        # save is a fresh start for a context that failed, given up or not).
        context = ReplyContext.objects.filter(post_id=post_id).only("url", "error").first()
        if context is None or context.url != post.in_reply_to_url or context.error:
            tasks.fetch_context_later(post_id)
    else:
        ReplyContext.objects.filter(post_id=post_id).delete()
    old = timezone.now() - timedelta(days=conf.ANNOUNCE_MAX_AGE_DAYS)
    if created and post.published_at < old:
        return
    tasks.schedule_send(post_id, when=post.published_at if not post.is_public else None)


def post_deleting(sender, instance, **kwargs):
    """Before the row goes: remember the address and prepare the last deliveries."""
    if _muted.get():
        return
    post = instance
    if post.pk is None:
        return
    if post.is_public:
        DeletedPost.objects.update_or_create(
            path=post.get_absolute_url(),
            defaults={
                "title": post.title[:300],
                "language": post.language,
                "deleted_at": timezone.now(),
            },
        )
    post._webmention_rows = sending.plan_deleted(post)


def post_deleted(sender, instance, **kwargs):
    tasks.deliver_later(getattr(instance, "_webmention_rows", []))


def author_answered(sender, response, parent, **kwargs):
    """The author answered a response (after the commit): when it came by Webmention, the
    answer goes back the same way, a Webmention from the answer's place to the source."""
    if parent.origin != Origin.WEBMENTION or _muted.get():
        return
    row_id = sending.plan_answer(response.pk)
    if row_id is not None:
        tasks.deliver_later([row_id])


def answer_deleting(sender, instance, **kwargs):
    """An answer of the author about to be deleted: its Webmention is sent once more (after
    the commit) so the source removes it."""
    if instance.by_author and not _muted.get() and instance.pk is not None:
        instance._webmention_rows = sending.plan_answer_deleted(instance)


def answer_deleted(sender, instance, **kwargs):
    tasks.deliver_later(getattr(instance, "_webmention_rows", []))


def connect():
    conversations_signals.author_answered.connect(
        author_answered, dispatch_uid="webmention_author_answered"
    )
    pre_delete.connect(answer_deleting, sender=Response, dispatch_uid="webmention_answer_deleting")
    post_delete.connect(answer_deleted, sender=Response, dispatch_uid="webmention_answer_deleted")
    post_save.connect(post_saved, sender=Post, dispatch_uid="webmention_post_saved")
    pre_delete.connect(post_deleting, sender=Post, dispatch_uid="webmention_post_deleting")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid="webmention_post_deleted")
