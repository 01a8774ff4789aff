"""Webmention sending through the outbox (``salon.outbox``), against a real target on
127.0.0.1 whose endpoint fails (503) as many times as it is told, then accepts (202).

With the immediate task backend (it cannot defer), a failed delivery keeps its attempts and
next try and enqueues nothing; ``salon webmention-send`` sends what is due, and nothing
earlier; after the last of ``conf.RETRY_DELAYS`` the delivery is given up.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from salon import outbox
from salon.blog.tests.factories import PostFactory
from salon.webmention import conf, tasks
from salon.webmention.models import SentState, SentWebmention

from .conftest import Page, advertising_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def reluctant_target(site):
    """``reluctant_target(failures)``: a page whose endpoint answers 503 that many times."""

    def _make(failures):
        answers = [503] * failures

        def endpoint(handler, form):
            status = answers.pop(0) if answers else 202
            return Page(
                body="busy" if status == 503 else "Accepted",
                status=status,
                content_type="text/plain",
            )

        site.routes["/endpoint"] = endpoint
        return site.page("/article", advertising_page("/endpoint"))

    return _make


@pytest.fixture
def publish_linking(django_capture_on_commit_callbacks):
    def _publish(url):
        with django_capture_on_commit_callbacks(execute=True):
            return PostFactory(
                published_at=timezone.now() - timedelta(minutes=1), body=f"See [this]({url})."
            )

    return _publish


def webmention_send():
    out = StringIO()
    call_command("webmention-send", stdout=out)
    return out.getvalue()


def time_comes():
    SentWebmention.objects.update(next_attempt_at=timezone.now())


def test_a_target_that_fails_then_accepts(site, reluctant_target, publish_linking):
    """Refused once: one attempt, the next try a minute later, no task waiting (the backend
    cannot defer); the sweep skips it until then and delivers it once due."""
    post = publish_linking(reluctant_target(1))
    row = SentWebmention.objects.get(post=post)
    assert (row.state, row.attempts, row.status_code) == (SentState.RETRYING, 1, 503)
    assert row.error == "the endpoint answered HTTP 503"
    assert timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    assert not outbox.can_defer(tasks.deliver_webmention)

    assert webmention_send() == "0 Webmention(s) attempted.\n"
    time_comes()
    assert webmention_send() == "1 Webmention(s) attempted: 1 sent.\n"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.status_code, row.error) == (SentState.SENT, 2, 202, "")
    assert row.next_attempt_at is None
    assert len(site.posts_to("/endpoint")) == 2
    assert webmention_send() == "0 Webmention(s) attempted.\n"


def test_a_delivery_is_given_up_after_the_last_delay(site, reluctant_target, publish_linking):
    """Each failure waits the next delay of the table; the one after the last gives up."""
    post = publish_linking(reluctant_target(len(conf.RETRY_DELAYS) + 1))
    for attempt, delay in enumerate(conf.RETRY_DELAYS[1:], start=2):
        time_comes()
        assert webmention_send() == "1 Webmention(s) attempted: 1 retrying.\n"
        row = SentWebmention.objects.get(post=post)
        assert row.attempts == attempt
        wait = (row.next_attempt_at - timezone.now()).total_seconds()
        assert delay - 10 < wait <= delay
    time_comes()
    assert webmention_send() == "1 Webmention(s) attempted: 1 failed.\n"
    row = SentWebmention.objects.get(post=post)
    assert (row.state, row.attempts, row.next_attempt_at) == (
        SentState.FAILED,
        len(conf.RETRY_DELAYS) + 1,
        None,
    )
    assert not SentWebmention.objects.due().exists()
    assert webmention_send() == "0 Webmention(s) attempted.\n"
    assert len(site.posts_to("/endpoint")) == len(conf.RETRY_DELAYS) + 1
