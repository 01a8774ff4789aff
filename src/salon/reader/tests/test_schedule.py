"""The scheduled refresh: one self-renewing task in the database queue, run by the worker."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from salon.reader import tasks
from salon.reader.models import RefreshSchedule, SubscriptionState

from .server import sample

TICK_PATH = "salon.reader.tasks.refresh_feeds_tick"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_the_schedule_is_queued_once(database_tasks):
    """Starting the schedule twice (or visiting the reader) never queues a second chain."""
    out = StringIO()
    call_command("refresh-feeds", "--schedule", stdout=out)
    first = RefreshSchedule.objects.get().task_result_id
    assert first in out.getvalue()
    assert tasks.ensure_scheduled() == first
    assert DBTaskResult.objects.filter(task_path=TICK_PATH).count() == 1


@pytest.mark.django_db
def test_a_run_that_died_is_replaced(database_tasks):
    """A run left "running" for hours (its worker died) does not block the schedule."""
    first = tasks.ensure_scheduled()
    DBTaskResult.objects.filter(id=first).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    second = tasks.ensure_scheduled()
    assert second != first
    DBTaskResult.objects.filter(id=second).update(status=TaskResultStatus.FAILED)
    assert tasks.ensure_scheduled() not in (first, second)


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_due_feeds_and_queues_the_next_run(
    database_tasks, feed_server, follow
):
    """The worker runs the queued refresh, which reads the due feeds and queues its successor
    for later (so a batch worker then stops: nothing else is ready)."""
    feed_server.serve("/rss.xml", sample("rss.xml"))
    sub = follow(feed_server.url("/rss.xml"))
    first = tasks.ensure_scheduled()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.OK and sub.entries.count() == 3
    assert DBTaskResult.objects.get(id=first).status == TaskResultStatus.SUCCESSFUL
    row = RefreshSchedule.objects.get()
    assert row.task_result_id != first
    assert row.last_run_summary.startswith("1 feeds checked: 1 read (3 new entries)")
    following = DBTaskResult.objects.get(id=row.task_result_id)
    assert following.status == TaskResultStatus.READY
    wait = following.run_after - timezone.now()
    assert timedelta(minutes=4) < wait <= timedelta(minutes=5)
    assert tasks.ensure_scheduled() == row.task_result_id


@pytest.mark.django_db
def test_without_a_deferring_backend_cron_is_the_way():
    """The immediate backend cannot schedule: the command says to use cron instead."""
    err = StringIO()
    call_command("refresh-feeds", "--schedule", stderr=err)
    assert "cron" in err.getvalue()
    assert tasks.ensure_scheduled() is None
