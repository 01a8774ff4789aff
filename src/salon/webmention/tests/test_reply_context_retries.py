"""A reply context that could not be read is read again: after the delays of Webmention
sending (1 min, 5 min, 30 min, 2 h, 12 h) when the failure may pass, and on every save of the
post; after the last attempt it is given up. The original is a real server on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import html

from salon.blog.tests.factories import PostFactory
from salon.webmention.models import ReplyContext

from .conftest import Page
from .test_replies import ORIGINAL_MF2

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_reply(django_capture_on_commit_callbacks):
    def _write(url):
        with django_capture_on_commit_callbacks(execute=True):
            return PostFactory(
                in_reply_to_url=url, published_at=timezone.now() - timedelta(minutes=5)
            )

    return _write


def is_discovery(headers):
    """Publishing the reply also looks for the original's Webmention endpoint (it accepts any
    type; the reply context asks for HTML only): those requests are not context reads."""
    return "*/*" in headers.get("Accept", "")


def answers(site, path, statuses):
    """The original answers each status in turn (200: the page), then the page forever."""
    queue = list(statuses)

    def respond(handler, form):
        if is_discovery(handler.headers):
            return Page(body="<p>No endpoint here.</p>")
        status = queue.pop(0) if queue else 200
        if status == 200:
            return Page(body=ORIGINAL_MF2.format(filler=""))
        return Page(body="busy", status=status, content_type="text/plain")

    site.routes[path] = respond
    return site.url(path)


def fetches(site, path):
    return len(
        [
            r
            for r in site.requests
            if r.method == "GET" and r.path == path and not is_discovery(r.headers)
        ]
    )


def time_comes(context):
    """Let the waiting time pass (the clock cannot be moved; the appointment can)."""
    ReplyContext.objects.filter(pk=context.pk).update(next_attempt_at=timezone.now())


def retry_due():
    call_command("webmention-send", stdout=open("/dev/null", "w"))


def test_a_busy_original_is_read_again_after_a_delay(client, site, write_reply):
    url = answers(site, "/notes", [503, 500])
    post = write_reply(url)
    context = ReplyContext.objects.get(post=post)
    assert (context.error, context.attempts, context.is_retrying) == ("HTTP 503", 1, True)
    assert timedelta(seconds=50) < context.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    retry_due()  # not due yet: nothing is fetched
    assert fetches(site, "/notes") == 1
    time_comes(context)
    retry_due()
    context.refresh_from_db()
    assert (context.error, context.attempts) == ("HTTP 500", 2)
    assert timedelta(minutes=4) < context.next_attempt_at - timezone.now() <= timedelta(minutes=5)
    time_comes(context)
    retry_due()
    context.refresh_from_db()
    assert (context.error, context.title, context.attempts) == ("", "Notes on walking", 3)
    assert context.next_attempt_at is None
    page = html.fromstring(client.get(post.get_absolute_url()).content)
    assert page.cssselect(".u-in-reply-to.h-cite .p-name")[0].text_content() == "Notes on walking"


def test_an_unreachable_original_is_retried_too(site, write_reply):
    post = write_reply("http://127.0.0.1:9/closed-port")
    context = ReplyContext.objects.get(post=post)
    assert context.is_retrying and context.attempts == 1


def test_gives_up_after_the_last_attempt(site, write_reply):
    url = answers(site, "/down", [503] * 10)
    post = write_reply(url)
    for _attempt in range(5):
        time_comes(ReplyContext.objects.get(post=post))
        retry_due()
    context = ReplyContext.objects.get(post=post)
    assert (context.attempts, context.next_attempt_at, context.gave_up) == (6, None, True)
    assert fetches(site, "/down") == 6
    retry_due()
    assert fetches(site, "/down") == 6


def test_a_missing_original_is_not_retried_but_each_save_reads_it_again(
    site, write_reply, django_capture_on_commit_callbacks
):
    """A 404 is the original's answer, not a hiccup: no retry; the author saving the post (the
    original may be published since) reads it again, with a fresh count of attempts."""
    url = answers(site, "/soon", [404])
    post = write_reply(url)
    context = ReplyContext.objects.get(post=post)
    assert (context.error, context.gave_up) == ("HTTP 404", True)
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Edited"
        post.save()
    context.refresh_from_db()
    assert (context.error, context.title, context.attempts) == ("", "Notes on walking", 1)
    # Once read, a save that does not change the original does not fetch it again.
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert fetches(site, "/soon") == 2


def test_a_save_restarts_the_count_of_a_given_up_context(
    site, write_reply, django_capture_on_commit_callbacks
):
    url = answers(site, "/flaky", [503] * 6)
    post = write_reply(url)
    for _attempt in range(5):
        time_comes(ReplyContext.objects.get(post=post))
        retry_due()
    assert ReplyContext.objects.get(post=post).gave_up
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    context = ReplyContext.objects.get(post=post)
    assert (context.error, context.attempts, context.title) == ("", 1, "Notes on walking")


def test_with_the_database_backend_a_retry_is_a_task_that_waits(
    site, settings, django_capture_on_commit_callbacks
):
    """The worker's backend can defer: the next attempt is enqueued to run at its time."""
    from django_tasks_db.models import DBTaskResult

    from salon.webmention import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url = answers(site, "/later", [503])
    post = PostFactory(in_reply_to_url=url, published_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.fetch_reply_context.call(post.pk) == "retrying"
    context = ReplyContext.objects.get(post=post)
    retry = DBTaskResult.objects.get(task_path__endswith=".retry_reply_context")
    assert retry.args_kwargs["args"] == [post.pk]
    assert abs((retry.run_after - context.next_attempt_at).total_seconds()) < 1
    # Run early (a clock ahead), it waits; on time, it reads the original.
    assert tasks.retry_reply_context.call(post.pk) == "not due"
    time_comes(context)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_reply_context.call(post.pk) == "fetched"
    assert ReplyContext.objects.get(post=post).title == "Notes on walking"
