"""Background work of federation; the only module of the app that enqueues.

The services (``processing``, ``outgoing``, ``delivery``) decide and return what should
happen next (deliveries to attempt, an ``outbox.Outcome``); the tasks here schedule it."""

from django_tasks import task

from salon import outbox
from salon.conversations.models import Response

from . import delivery, outgoing, processing
from .models import FederatedPost, Follower


@task()
def process_activity(received_id):
    """Do what a stored, verified activity asks (a reply, a follow…), then deliver answers."""
    result = processing.process(received_id)
    deliver_soon(result.deliveries)
    return result.state


@task()
def federate_posts(post_ids):
    """Create, Update or Delete for each post that changed, then deliver them."""
    ids = []
    for post_id in post_ids:
        ids += outgoing.post_changed(post_id)
        record = FederatedPost.objects.filter(post_id=post_id, state=FederatedPost.SCHEDULED)
        record = record.first()
        if record is not None:
            outbox.enqueue_at(federate_posts, record.due_at, [post_id])
    deliver_soon(ids)
    return len(ids)


@task()
def fan_out(row_ids):
    """Attempt many deliveries (bounded concurrency); each failure retries on its own."""
    outcomes = delivery.deliver_many(row_ids)
    for row_id, outcome in outcomes.items():
        outbox.retry_later(deliver, outcome, row_id)
    return outbox.summary(_count(outcomes.values()))


@task()
def deliver(row_id):
    """One attempt at one delivery; a temporary failure enqueues the next attempt for its
    time when the backend can wait (otherwise ``salon federation-send`` makes it once due)."""
    outcome = delivery.deliver(row_id)
    outbox.retry_later(deliver, outcome, row_id)
    return str(outcome)


@task()
def answer(response_id, parent_id):
    """Carry the author's answer to a fediverse response back to its author's server."""
    response = Response.objects.select_related("post").filter(pk=response_id).first()
    parent = Response.objects.filter(pk=parent_id).first()
    if response is None or parent is None:
        return 0
    ids = outgoing.answer(response, parent)
    deliver_soon(ids)
    return len(ids)


def _count(outcomes):
    counts = {}
    for outcome in outcomes:
        counts[str(outcome)] = counts.get(str(outcome), 0) + 1
    return counts


# Batches of deliveries: one task for up to this many rows.
BATCH = 200


def deliver_soon(row_ids):
    """Deliver these rows from the worker, after the commit, a batch per task."""
    row_ids = list(row_ids)
    for start in range(0, len(row_ids), BATCH):
        outbox.enqueue_at(fan_out, None, row_ids[start : start + BATCH])


def process_later(received_id):
    outbox.enqueue_at(process_activity, None, received_id)


def federate_posts_later(post_ids):
    outbox.enqueue_at(federate_posts, None, list(post_ids))


def answer_later(response_id, parent_id):
    outbox.enqueue_at(answer, None, response_id, parent_id)


def remove_followers(follower_ids):
    """Remove these followers, each told by a Reject of its Follow, delivered after the
    commit; returns how many went (the admin's action and a new block call it)."""
    ids = []
    count = 0
    for follower in Follower.objects.select_related("actor").filter(pk__in=follower_ids):
        ids += outgoing.remove_follower(follower)
        count += 1
    deliver_soon(ids)
    return count


def withdraw_answer(response):
    """Store the Delete of an answer about to be deleted; deliver it after the commit."""
    deliver_soon(outgoing.withdraw_answer(response))
