"""Background work of Webmention; every task takes ids and is enqueued after the commit."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import receiving, replies, sending

logger = logging.getLogger("salon.webmention")


@task()
def verify_webmention(received_id):
    """Verify a received Webmention and create, update or remove its response."""
    return receiving.verify(received_id)


@task()
def send_webmentions(post_id, force=False):
    """Work out which links of a post need a Webmention, then send each from its own task."""
    row_ids = sending.plan(post_id, force=force)
    for row_id in row_ids:
        deliver_webmention.enqueue(row_id)
    return len(row_ids)


@task()
def deliver_webmention(sent_id):
    """One attempt at delivering one Webmention (discovery, then the POST)."""
    return sending.deliver(sent_id)


@task()
def fetch_reply_context(post_id):
    """Read the post a reply post answers: title, author, excerpt (a first attempt)."""
    state = replies.refresh_context(post_id)
    _schedule_context_retry(post_id)
    return state


@task()
def retry_reply_context(post_id):
    """Another attempt at a reply context that failed, when its time has come."""
    state = replies.retry_context(post_id)
    _schedule_context_retry(post_id)
    return state


def _schedule_context_retry(post_id):
    """Enqueue the context's next attempt for its time when the backend can wait; otherwise
    ``salon webmention-send`` makes it once due."""
    from .models import ReplyContext

    when = (ReplyContext.objects.filter(post_id=post_id)
            .values_list("next_attempt_at", flat=True).first())
    if when is None or not _supports_defer(retry_reply_context):
        return False
    transaction.on_commit(lambda: retry_reply_context.using(run_after=when).enqueue(post_id))
    return True


def _supports_defer(a_task):
    return getattr(a_task.get_backend(), "supports_defer", False)


def schedule_retry(sent_id, when):
    """Enqueue a delivery's next attempt for ``when`` when the backend can wait; otherwise the
    row keeps its ``next_attempt_at`` and ``salon webmention-retry`` sends it when due."""
    if not _supports_defer(deliver_webmention):
        return False
    transaction.on_commit(
        lambda: deliver_webmention.using(run_after=when).enqueue(sent_id)
    )
    return True


def schedule_send(post_id, when=None):
    """Enqueue ``send_webmentions`` after the commit (at ``when`` for a scheduled post, when the
    backend can wait)."""
    if when is not None and when > timezone.now():
        if not _supports_defer(send_webmentions):
            return
        transaction.on_commit(lambda: send_webmentions.using(run_after=when).enqueue(post_id))
        return
    transaction.on_commit(lambda: send_webmentions.enqueue(post_id))
