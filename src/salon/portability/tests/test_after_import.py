"""After the commit: comment languages are detected by a task, and the blog's one
``posts_changed`` event tells other apps which posts to index (none for a dry run)."""

import pytest

from salon.blog.models import Page, Post, Status
from salon.blog.signals import posts_changed
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db


def test_comment_languages_are_detected(import_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file("blog.wxr")
    assert Response.objects.get(content__startswith="Brave!").language == "en"
    assert Response.objects.get(author_name="Lea").language == "fr"


def test_posts_changed_is_sent_once_with_the_posts(import_file, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    posts_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_file("blog.wxr")
        with django_capture_on_commit_callbacks(execute=True):
            import_file("blog.wxr", "--dry-run")
    finally:
        posts_changed.disconnect(receiver)
    assert len(received) == 1
    # The imported drafts changed nothing readers see: they are not in it (docs/design/events.md).
    shown = Post.objects.exclude(status=Status.DRAFT).values_list("pk", flat=True)
    assert Post.objects.filter(status=Status.DRAFT).exists()
    assert received[0]["post_ids"] == set(shown)
    assert received[0]["page_ids"] == set(Page.objects.values_list("pk", flat=True))


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_command_does_the_work_after_the_import_before_it_ends(import_file, settings):
    """With the database task queue (production), the tasks the import queued (comment
    languages, search index, similar posts) are run by the command itself, not left waiting."""
    from django_tasks_db.models import DBTaskResult

    from salon.search.indexing import indexable_posts
    from salon.search.models import SearchDocument

    settings.TASKS = DATABASE_TASKS
    output = import_file("blog.wxr")
    assert "brought up to date" in output
    assert not DBTaskResult.objects.ready().exists()
    assert DBTaskResult.objects.filter(task_path__endswith="index_posts").exists()
    assert Response.objects.get(author_name="Lea").language == "fr"
    indexed = SearchDocument.objects.count()
    assert indexed and indexed == indexable_posts().count()


@pytest.mark.django_db(transaction=True)
def test_background_leaves_the_work_to_the_worker(import_file, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    output = import_file("blog.wxr", "--background")
    assert "brought up to date" not in output
    assert DBTaskResult.objects.ready().exists()
