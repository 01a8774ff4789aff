"""Publish now, schedule (the worker publishes at the time, read in the blog's time zone),
unpublish, back to draft; checks other apps add; posts_changed follows each change."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from salon.blog.models import Post, Status
from salon.blog.signals import posts_changed
from salon.studio import checks

from .conftest import opened, save


@pytest.fixture
def changes():
    """The post ids of every posts_changed event sent during the test."""
    seen = []

    def receiver(sender, post_ids, **kwargs):
        seen.append(set(post_ids))

    posts_changed.connect(receiver, dispatch_uid="studio-test")
    yield seen
    posts_changed.disconnect(dispatch_uid="studio-test")


def test_publish_now(author, draft, changes, django_capture_on_commit_callbacks):
    draft.published_at = timezone.now() - timedelta(days=30)  # when the draft was begun
    draft.save()
    version = opened(author, draft)
    with django_capture_on_commit_callbacks(execute=True):
        answer = save(author, draft, version, "publish", body="Fini.").json()
    assert answer["ok"] and answer["reload"]
    assert answer["message"] == "Published."
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.body == "Fini."
    assert timezone.now() - draft.published_at < timedelta(minutes=1)
    assert draft in Post.objects.published()
    assert any(draft.pk in ids for ids in changes)


def test_a_post_without_title_is_not_published(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, "publish", title="  ").json()
    assert not answer["ok"]
    assert answer["errors"]["title"] == ["Give the post a title before publishing it."]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_other_apps_checks_block_publishing(author, draft):
    def no_todo(post, data):
        return {"body": ["Remove the TODO first."]} if "TODO" in post.body else {}

    checks.register_publish_check(no_todo)
    try:
        version = opened(author, draft)
        answer = save(author, draft, version, "publish", body="TODO: finish").json()
        assert answer["errors"] == {"body": ["Remove the TODO first."]}
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        # A draft is still saved as typed: the check is about publishing.
        answer = save(author, draft, answer["version"], body="TODO: finish").json()
        assert answer["ok"]
    finally:
        checks._checks.remove(no_todo)


def test_schedule_reads_the_time_in_the_blogs_time_zone(author, draft, settings):
    settings.TIME_ZONE = "Europe/Paris"
    version = opened(author, draft)
    when = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("Europe/Paris"))
    typed = when.strftime("%Y-%m-%dT%H:%M")
    answer = author.post(
        f"/write/{draft.pk}/save/",
        {
            "title": "Plus tard",
            "language": "fr",
            "body": "Demain.",
            "version": version,
            "action": "schedule",
            "visibility": "public",
            "publish_at": typed,
        },
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["ok"], answer
    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    expected = datetime.strptime(typed, "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert draft.published_at == expected
    assert draft not in Post.objects.published()


def test_a_past_time_is_refused_and_the_text_still_saved(author, draft):
    version = opened(author, draft)
    answer = author.post(
        f"/write/{draft.pk}/save/",
        {
            "title": "Trop tard",
            "language": "fr",
            "body": "Hier.",
            "version": version,
            "action": "schedule",
            "visibility": "public",
            "publish_at": "2001-01-01T10:00",
        },
        HTTP_ACCEPT="application/json",
    ).json()
    assert not answer["ok"]
    assert "passed" in answer["errors"]["publish_at"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.body == "Hier."


def test_the_worker_is_asked_to_publish_at_the_time(
    author, draft, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    version = opened(author, draft)
    when = timezone.localtime(timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        author.post(
            f"/write/{draft.pk}/save/",
            {
                "title": "À cinq heures",
                "language": "fr",
                "version": version,
                "action": "schedule",
                "visibility": "public",
                "publish_at": when.strftime("%Y-%m-%dT%H:%M"),
            },
            HTTP_ACCEPT="application/json",
        )
    task = DBTaskResult.objects.get(task_path__endswith="publish_due_posts")
    assert task.run_after == when


def test_at_its_time_a_scheduled_post_is_published_and_announced(
    author, changes, django_capture_on_commit_callbacks
):
    post = Post.objects.create(
        title="Programmé",
        language="fr",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    later = Post.objects.create(
        title="Plus tard",
        language="fr",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    version = opened(author, post)
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    changes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish-due", stdout=StringIO())
    post.refresh_from_db()
    later.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert later.status == Status.SCHEDULED
    assert any(post.pk in ids for ids in changes)
    # The writing page open on it keeps saving: the scheduler's change is not a conflict.
    assert save(author, post, version, "update", title="Programmé").json()["ok"]


def test_unpublish_and_back_to_draft(author, changes, django_capture_on_commit_callbacks):
    post = Post.objects.create(title="En ligne", language="fr", status=Status.PUBLISHED)
    version = opened(author, post)
    with django_capture_on_commit_callbacks(execute=True):
        answer = save(author, post, version, "draft", title="En ligne").json()
    assert "draft again" in answer["message"]
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert post not in Post.objects.published()
    assert any(post.pk in ids for ids in changes)

    scheduled = Post.objects.create(
        title="Bientôt",
        language="fr",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    page = author.get(f"/write/{scheduled.pk}/").content.decode()
    assert "Back to draft" in page
    version = opened(author, scheduled)
    save(author, scheduled, version, "draft", title="Bientôt")
    scheduled.refresh_from_db()
    assert scheduled.status == Status.DRAFT


def test_the_password_is_settable(author, draft, client):
    version = opened(author, draft)
    save(author, draft, version, "publish", password="ouvre-toi")
    draft.refresh_from_db()
    assert draft.password == "ouvre-toi"


def test_visibility_is_chosen_on_the_writing_page(author, draft):
    version = opened(author, draft)
    answer = save(author, draft, version, "publish", visibility="unlisted").json()
    assert answer["ok"]
    draft.refresh_from_db()
    assert draft.visibility == "unlisted"
    assert draft in Post.objects.published() and draft not in Post.objects.listed()
    answer = save(author, draft, answer["version"], "update", visibility="private").json()
    draft.refresh_from_db()
    assert draft not in Post.objects.published()
    bad = save(author, draft, answer["version"], "update", visibility="everyone").json()
    assert "visibility" in bad["errors"]
    draft.refresh_from_db()
    assert draft.visibility == "private"


def test_a_post_scheduled_in_the_admin_is_published_by_the_worker_too(
    db, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    when = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.create(
            title="Par l'admin", language="fr", status=Status.SCHEDULED, published_at=when
        )
    task = DBTaskResult.objects.get(task_path__endswith="publish_due_posts")
    assert task.run_after == when
