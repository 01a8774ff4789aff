"""Sending: publishing, updating, unpublishing and deleting a post notify every linked page that
has an endpoint (real servers on 127.0.0.1), one delivery row per link, retried with backoff."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from salon.blog.models import Post, Status
from salon.blog.tests.factories import PostFactory
from salon.webmention.models import DeletedPost, SentState, SentWebmention
from salon.webmention.signals import muted
from salon.webmention.tests.conftest import Page, advertising_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(site):
    """Two pages with an endpoint (202) and one without."""
    site.page(
        "/endpoint",
        "Accepted",
        status=202,
        content_type="text/plain",
        headers=[("Location", "/status/1")],
    )
    return {
        "a": site.page("/a", advertising_page("/endpoint")),
        "b": site.page("/b", advertising_page("/endpoint")),
        "none": site.page("/none", "<html><body>no endpoint</body></html>"),
    }


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Create or save a post and run what its commit enqueues (tasks run immediately)."""

    def _publish(post=None, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            if post is None:
                fields.setdefault("published_at", timezone.now() - timedelta(minutes=1))
                post = PostFactory(**fields)
            else:
                for name, value in fields.items():
                    setattr(post, name, value)
                post.save()
        return post

    return _publish


def body_linking(*urls):
    return "\n\n".join(f"See [this]({url})." for url in urls)


def sent(site):
    return [(r.form["source"], r.form["target"]) for r in site.posts_to("/endpoint")]


def test_publishing_sends_one_webmention_per_link(site, targets, publish):
    post = publish(body=body_linking(targets["a"], targets["b"], targets["none"], targets["a"]))
    source = settings.SITE_URL + post.get_absolute_url()
    assert sorted(sent(site)) == sorted([(source, targets["a"]), (source, targets["b"])])
    rows = {row.target: row for row in SentWebmention.objects.filter(post=post)}
    assert set(rows) == {targets["a"], targets["b"], targets["none"]}
    assert rows[targets["a"]].state == SentState.SENT
    assert rows[targets["a"]].status_code == 202
    assert rows[targets["a"]].answer == "Accepted"
    assert rows[targets["a"]].location == site.url("/status/1")
    assert rows[targets["a"]].endpoint == site.url("/endpoint")
    assert rows[targets["none"]].state == SentState.NO_ENDPOINT


def test_own_links_and_other_schemes_are_not_notified(site, targets, publish):
    own = settings.SITE_URL + "/2020/01/01/older/"
    post = publish(
        body=f"[me]({own}) [mail](mailto:x@example.org) [rel](/about/) [a]({targets['a']})"
    )
    assert [row.target for row in SentWebmention.objects.filter(post=post)] == [targets["a"]]


def test_reply_post_notifies_the_post_it_answers(site, targets, publish):
    publish(in_reply_to_url=targets["a"], body="Je réponds.")
    assert [target for _source, target in sent(site)] == [targets["a"]]


def test_update_resends_and_notifies_removed_links_once(site, targets, publish):
    post = publish(body=body_linking(targets["a"], targets["b"]))
    assert len(sent(site)) == 2
    publish(post, body=body_linking(targets["a"]) + "\n\nEdited.")
    assert [t for _s, t in sent(site)[2:]] in (
        [targets["a"], targets["b"]],
        [targets["b"], targets["a"]],
    )
    removed = SentWebmention.objects.get(post=post, target=targets["b"])
    assert removed.in_post is False and removed.state == SentState.SENT
    publish(post, body=body_linking(targets["a"]) + "\n\nEdited again.")
    assert [t for _s, t in sent(site)[4:]] == [targets["a"]]


def test_save_that_changes_nothing_shown_sends_nothing(site, targets, publish):
    post = publish(body=body_linking(targets["a"]))
    publish(post, sticky=True)
    assert len(sent(site)) == 1


def test_drafts_send_nothing_and_unpublishing_withdraws(site, targets, publish):
    post = publish(status=Status.DRAFT, body=body_linking(targets["a"]))
    assert sent(site) == []
    publish(post, status=Status.PUBLISHED)
    assert len(sent(site)) == 1
    publish(post, status=Status.DRAFT)
    assert len(sent(site)) == 2
    assert SentWebmention.objects.get(post=post).in_post is False


def test_deleting_answers_410_and_notifies_every_link(
    client, site, targets, publish, django_capture_on_commit_callbacks
):
    post = publish(body=body_linking(targets["a"], targets["b"]))
    path = post.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert len(sent(site)) == 4
    assert sorted(t for _s, t in sent(site)[2:]) == sorted([targets["a"], targets["b"]])
    rows = SentWebmention.objects.filter(target__in=[targets["a"], targets["b"]])
    assert all(row.post_id is None and not row.in_post for row in rows)
    response = client.get(path)
    assert response.status_code == 410
    assert DeletedPost.objects.filter(path=path).exists()
    # A new post at the same address lifts the tombstone.
    again = publish(title=post.title, slug=post.slug, published_at=post.published_at)
    assert again.get_absolute_url() == path
    assert client.get(path).status_code == 200


def test_temporary_failures_are_retried_with_backoff(site, targets, publish):
    answers = iter([503, 500, 202])
    site.routes["/endpoint"] = lambda handler, form: Page(
        body="", status=next(answers), content_type="text/plain"
    )
    post = publish(body=body_linking(targets["a"]))
    row = SentWebmention.objects.get(post=post)
    assert (row.state, row.attempts, row.status_code) == (SentState.RETRYING, 1, 503)
    assert timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    call_command("webmention-send", stdout=open("/dev/null", "w"))  # not due yet
    assert SentWebmention.objects.get(pk=row.pk).attempts == 1
    SentWebmention.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    call_command("webmention-send", stdout=open("/dev/null", "w"))
    row.refresh_from_db()
    assert (row.state, row.attempts) == (SentState.RETRYING, 2)
    assert timedelta(minutes=4) < row.next_attempt_at - timezone.now() <= timedelta(minutes=5)
    SentWebmention.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    call_command("webmention-send", stdout=open("/dev/null", "w"))
    row.refresh_from_db()
    assert (row.state, row.attempts, row.status_code) == (SentState.SENT, 3, 202)


def test_a_refusal_is_final(site, targets, publish):
    site.page("/endpoint", "Source does not link to target", status=400, content_type="text/plain")
    post = publish(body=body_linking(targets["a"]))
    row = SentWebmention.objects.get(post=post)
    assert (row.state, row.status_code, row.next_attempt_at) == (SentState.FAILED, 400, None)
    assert row.answer == "Source does not link to target"


def test_gives_up_after_the_last_retry(site, targets, publish):
    site.page("/endpoint", "", status=500, content_type="text/plain")
    post = publish(body=body_linking(targets["a"]))
    for _attempt in range(5):
        SentWebmention.objects.filter(post=post).update(next_attempt_at=timezone.now())
        call_command("webmention-send", stdout=open("/dev/null", "w"))
    row = SentWebmention.objects.get(post=post)
    assert (row.state, row.attempts) == (SentState.FAILED, 6)


def test_unreachable_target_is_retried(site, publish):
    post = publish(body=body_linking("http://127.0.0.1:9/closed-port"))
    row = SentWebmention.objects.get(post=post)
    assert row.state == SentState.RETRYING and row.error.startswith("discovery:")


def test_imports_and_muted_saves_announce_nothing(site, targets, publish):
    publish(body=body_linking(targets["a"]), published_at=timezone.now() - timedelta(days=400))
    with muted():
        publish(body=body_linking(targets["b"]))
    assert sent(site) == []
    assert not SentWebmention.objects.exists()


def test_scheduled_post_is_sent_once_due(site, targets, publish):
    """With a backend that cannot wait, `salon webmention-send` announces posts whose time came."""
    post = publish(
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
        body=body_linking(targets["a"]),
    )
    assert sent(site) == []
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    call_command("webmention-send", stdout=open("/dev/null", "w"))
    assert len(sent(site)) == 1
    call_command("webmention-send", stdout=open("/dev/null", "w"))
    assert len(sent(site)) == 1


def test_send_command_with_post_forces_a_resend(site, targets, publish):
    post = publish(body=body_linking(targets["a"]))
    call_command("webmention-send", "--post", str(post.pk), stdout=open("/dev/null", "w"))
    assert len(sent(site)) == 2


def test_with_the_database_backend_a_retry_is_a_task_that_waits(
    site, targets, settings, django_capture_on_commit_callbacks
):
    """The worker's backend can defer: the next attempt is enqueued to run at its time."""
    from django_tasks_db.models import DBTaskResult

    from salon.webmention import sending, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    site.page("/endpoint", "busy", status=503, content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory(
            published_at=timezone.now() - timedelta(minutes=1), body=body_linking(targets["a"])
        )
    # Nothing ran in the request: planning waits for the worker.
    assert DBTaskResult.objects.filter(task_path__endswith=".send_webmentions").count() == 1
    assert not SentWebmention.objects.exists()
    [row_id] = sending.plan(post.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.deliver_webmention.call(row_id) == SentState.RETRYING
    row = SentWebmention.objects.get(pk=row_id)
    retry = DBTaskResult.objects.get(task_path__endswith=".deliver_webmention")
    assert retry.args_kwargs["args"] == [row_id]
    assert abs((retry.run_after - row.next_attempt_at).total_seconds()) < 1
