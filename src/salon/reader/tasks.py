"""Background work of the reader. Tasks take ids, never objects.

This is the only module of the app that enqueues; ``ensure_scheduled()`` starts the periodic
refresh (``schedule.py`` keeps its row) and is what the pages and commands call.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django_tasks import task

from salon import outbox

from . import refresh, schedule
from .discovery import discover
from .models import Discovery, DiscoveryState, Participant, Subscription
from .problems import ErrorCode, FeedProblem

logger = logging.getLogger(__name__)


@task(takes_context=True)
def refresh_feeds_tick(context):
    """The scheduled run: refresh the feeds that are due, then queue the next run."""
    summary = None
    try:
        summary = refresh.refresh_due()
        schedule.record_run(summary)
        return summary.as_dict()
    finally:
        schedule.schedule_next(refresh_feeds_tick, _enqueue_tick, context.task_result.id)


def _enqueue_tick(run_after):
    """Queue the scheduled run for ``run_after``; return its task id."""
    return refresh_feeds_tick.using(run_after=run_after).enqueue().id


def can_schedule():
    """Whether the task backend can run the periodic refresh (otherwise: cron)."""
    return schedule.can_schedule(refresh_feeds_tick)


def ensure_scheduled(delay=timedelta(0)):
    """Make sure the scheduled refresh is queued; return its task id (None without a schedule,
    when the backend cannot defer)."""
    return schedule.ensure_scheduled(refresh_feeds_tick, _enqueue_tick, delay)


@task()
def refresh_feeds(subscription_ids):
    """Refresh the given feeds now (after subscribing, importing OPML, or on request)."""
    summary = refresh.refresh_ids(subscription_ids)
    ensure_scheduled()  # new feeds need the schedule: start it if it is not running
    return summary.as_dict()


def refresh_later(subscription_ids):
    """Refresh these feeds in a task, after the commit."""
    outbox.enqueue_at(refresh_feeds, None, list(subscription_ids))


def discover_later(discovery_id):
    """Look for the feeds of a pasted address in a task, after the commit."""
    outbox.enqueue_at(discover_feeds, None, discovery_id)


def link_later(participant_id):
    """Find and follow a challenge participant's feed in a task, after the commit."""
    outbox.enqueue_at(link_participant, None, participant_id)


def _problem_of(exc):
    if isinstance(exc, FeedProblem):
        return exc
    logger.exception("feed discovery failed")
    return FeedProblem(ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}"[:500])


@task(priority=10)
def discover_feeds(discovery_id):
    """Look for the feeds at a pasted address; the follow page shows what was found."""
    row = Discovery.objects.filter(pk=discovery_id).first()
    if row is None:
        return
    try:
        found = discover(row.url)
    except Exception as exc:  # noqa: BLE001 - every failure is shown to the author
        problem = _problem_of(exc)
        Discovery.objects.filter(pk=row.pk).update(
            state=DiscoveryState.FAILED, error_code=problem.code, error=problem.detail[:2000]
        )
        return
    Discovery.objects.filter(pk=row.pk).update(
        state=DiscoveryState.DONE, feeds=[feed.as_dict() for feed in found]
    )


@task()
def link_participant(participant_id):
    """Find a challenge participant's feed (unless given), follow it quietly, and read it."""
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None:
        return
    feed_url = participant.feed_url
    title = ""
    if not feed_url:
        try:
            found = discover(participant.blog_url)
        except Exception as exc:  # noqa: BLE001 - shown on the challenge admin
            problem = _problem_of(exc)
            # update(), not save(): saving would trigger this task again.
            Participant.objects.filter(pk=participant.pk).update(
                discovery_error=problem.code,
                discovery_detail=problem.detail[:2000],
                subscription=None,
            )
            return
        feed_url, title = found[0].url, found[0].title
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            feed_url=feed_url, defaults={"followed": False, "title": title[:300]}
        )
        Participant.objects.filter(pk=participant.pk).update(
            feed_url=feed_url,
            subscription=subscription,
            discovery_error="",
            discovery_detail="",
        )
    if created or subscription.last_success_at is None:
        refresh.refresh_ids([subscription.pk])
    ensure_scheduled()
