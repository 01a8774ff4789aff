"""Background work of Webmention; every task takes ids and is enqueued after the commit.

This is the only module of the app that enqueues: the services (``receiving``, ``sending``,
``replies``) make one attempt and return an ``outbox.Outcome``; the tasks here schedule what
follows (``outbox.retry_later``), and the functions at the end are what the endpoint, the
post signals and the admin call to start work.
"""

import logging

from django_tasks import task

from salon import outbox

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
    """One attempt at delivering one Webmention (discovery, then the POST); a temporary failure
    enqueues the next attempt for its time when the backend can wait (otherwise
    ``salon webmention-send`` makes it once due). Returns the row's new state."""
    outcome = sending.deliver(sent_id)
    outbox.retry_later(deliver_webmention, outcome, sent_id)
    return str(outcome)


@task()
def fetch_reply_context(post_id):
    """Read the post a reply post answers: title, author, excerpt (a first attempt)."""
    outcome = replies.refresh_context(post_id)
    outbox.retry_later(retry_reply_context, outcome, post_id)
    return str(outcome)


@task()
def retry_reply_context(post_id):
    """Another attempt at a reply context that failed, when its time has come."""
    outcome = replies.retry_context(post_id)
    outbox.retry_later(retry_reply_context, outcome, post_id)
    return str(outcome)


def verify_later(received_id):
    """Verify a stored Webmention in a task, after the commit."""
    outbox.enqueue_at(verify_webmention, None, received_id)


def deliver_later(sent_ids):
    """Send each of these deliveries from its own task, after the commit."""
    for sent_id in sent_ids:
        outbox.enqueue_at(deliver_webmention, None, sent_id)


def fetch_context_later(post_id):
    """Read a reply post's context in a task, after the commit."""
    outbox.enqueue_at(fetch_reply_context, None, post_id)


def schedule_send(post_id, when=None, force=False):
    """Enqueue ``send_webmentions`` after the commit (at ``when`` for a scheduled post, when the
    backend can wait; otherwise ``salon webmention-send`` announces it once due)."""
    return outbox.enqueue_at(send_webmentions, when, post_id, **({"force": True} if force else {}))
