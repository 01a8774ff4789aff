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
