"""The refresh schedule: one self-renewing task in the queue.

django-tasks has no periodic scheduler. ``refresh_feeds_tick`` (tasks.py) refreshes the feeds
that are due, then enqueues its successor with ``run_after`` = now + ``TICK``. The single
``RefreshSchedule`` row holds the id of the queued successor, under a row lock, so the chain
exists once however many times it is started: ``ensure_scheduled()`` only enqueues when the
recorded task is no longer waiting or running (it failed, was deleted, or its worker died).

Who starts it: ``salon refresh-feeds --schedule`` (at deploy or start-up), and, as a safety net,
every visit of the reader page and every new subscription. Backends that cannot defer a task
(the immediate backend used by the tests) have no schedule; ``salon refresh-feeds`` from cron
is the alternative there.

This module keeps the row and its rules; it never enqueues and does not import ``tasks.py``:
the functions take the tick task and an ``enqueue(run_after)`` function that returns the new
task's id, both given by ``tasks.ensure_scheduled()`` and the tick itself. (The outbox's
retries are per delivery row; this is one periodic chain, see ``docs/design/outbox.md``.)
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import RefreshSchedule

logger = logging.getLogger(__name__)

# How often the scheduled run looks for due feeds (each feed has its own interval).
TICK = timedelta(minutes=5)
# A run still "running" after this long belongs to a worker that died.
STALE_RUNNING = timedelta(hours=1)


def tick():
    return timedelta(seconds=getattr(settings, "SALON_READER_TICK", TICK.total_seconds()))


def can_schedule(task):
    """Whether ``task``'s backend can hold a run for later and tell how a run is doing."""
    backend = task.get_backend()
    return backend.supports_defer and backend.supports_get_result


def _alive(task, result_id):
    """True when the recorded run is still waiting in the queue or running."""
    if not result_id:
        return False
    try:
        result = task.get_result(result_id)
    except (TaskResultDoesNotExist, ValueError):
        return False
    if result.status == TaskResultStatus.READY:
        return True
    if result.status == TaskResultStatus.RUNNING:
        started = result.started_at or result.enqueued_at
        return started is not None and timezone.now() - started < STALE_RUNNING
    return False


def _locked_row():
    RefreshSchedule.objects.get_or_create(pk=1)
    return RefreshSchedule.objects.select_for_update().get(pk=1)


def _record(row, enqueue, run_after):
    row.task_result_id = str(enqueue(run_after))
    row.enqueued_at = timezone.now()
    row.save(update_fields=["task_result_id", "enqueued_at"])
    return row.task_result_id


def ensure_scheduled(task, enqueue, delay=timedelta(0)):
    """Make sure a run of ``task`` is queued (``enqueue`` queues one); return its task id
    (None without a schedule)."""
    if not can_schedule(task):
        return None
    current = RefreshSchedule.objects.filter(pk=1).values_list("task_result_id", flat=True)
    current = current.first()
    if current and _alive(task, current):
        return current  # the common case, answered without taking a write lock
    with transaction.atomic():
        row = _locked_row()
        if _alive(task, row.task_result_id):
            return row.task_result_id
        task_id = _record(row, enqueue, timezone.now() + delay)
    logger.info("feed refresh scheduled (task %s)", task_id)
    return task_id


def record_run(summary):
    """Note when the due feeds were last refreshed, and how it went (shown to the author)."""
    RefreshSchedule.objects.get_or_create(pk=1)
    RefreshSchedule.objects.filter(pk=1).update(
        last_run_at=timezone.now(), last_run_summary=str(summary)[:500]
    )


def schedule_next(task, enqueue, current_id):
    """Called by a finishing run: queue its successor, unless another chain took over."""
    if not can_schedule(task):
        return None
    with transaction.atomic():
        row = _locked_row()
        if (
            row.task_result_id
            and row.task_result_id != str(current_id)
            and _alive(task, row.task_result_id)
        ):
            return row.task_result_id
        return _record(row, enqueue, timezone.now() + tick())


def status():
    """The schedule row (for the subscriptions page), or None before the first run."""
    return RefreshSchedule.objects.filter(pk=1).first()
