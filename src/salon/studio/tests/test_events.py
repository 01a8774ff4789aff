"""Autosaving a draft changes nothing readers see: the kept pages stay and no search or
similar-posts task is queued. Publishing it (and unpublishing) is heard by all of them."""

import pytest
from django_tasks.signals import task_enqueued

from salon.blog.models import Post, Status, Tag
from salon.pagecache.store import generation

from .conftest import opened, save

INDEXING = {"index_posts", "refresh_posts"}


@pytest.fixture
def queued():
    names = []
    task_enqueued.connect(
        lambda sender, task_result, **kwargs: names.append(task_result.task.name),
        weak=False,
        dispatch_uid="studio-test-queued",
    )
    yield names
    task_enqueued.disconnect(dispatch_uid="studio-test-queued")


def test_autosaving_a_draft_keeps_the_pages_and_queues_no_indexing(
    author, draft, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.create(name="vélo")  # a new tag empties the kept pages (tag lists show it)
    version = opened(author, draft)
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        for step in range(3):
            answer = save(
                author, draft, version + step, body=f"Jet {step}", tags="vélo", summary_en="Go"
            ).json()
            assert answer["applied"], answer
    assert generation() == before, "an autosaved draft emptied the page cache"
    assert not INDEXING & set(queued), queued
    draft.refresh_from_db()
    assert draft.body == "Jet 2"

    with django_capture_on_commit_callbacks(execute=True):
        answer = save(author, draft, version + 3, action="publish", body="Publié").json()
    assert answer["ok"], answer
    assert generation() != before, "publishing did not reach the page cache"
    assert INDEXING <= set(queued), queued


def test_unpublishing_is_heard_and_a_new_draft_is_not(
    author, queued, django_capture_on_commit_callbacks
):
    post = Post.objects.create(title="En ligne", language="fr", body="Lu.", status=Status.PUBLISHED)
    version = opened(author, post)
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        assert save(author, post, version, action="draft").json()["ok"]
    assert generation() != before, "unpublishing did not reach the page cache"
    assert INDEXING <= set(queued)

    queued.clear()
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(
            "/write/save/",
            {"title": "Neuf", "body": "Début", "language": "fr", "version": "0"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 200
    assert generation() == before and not INDEXING & set(queued)
