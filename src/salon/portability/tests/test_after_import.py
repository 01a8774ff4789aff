"""After the commit: comment languages are detected by a task, and one site_imported signal
tells other apps which posts to index."""

import pytest

from salon.blog.models import Post
from salon.conversations.models import Response
from salon.portability.signals import site_imported

pytestmark = pytest.mark.django_db


def test_comment_languages_are_detected(import_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file("blog.wxr")
    assert Response.objects.get(content__startswith="Brave!").language == "en"
    assert Response.objects.get(author_name="Lea").language == "fr"


def test_site_imported_is_sent_once_with_the_posts(import_file, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    site_imported.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_file("blog.wxr")
        with django_capture_on_commit_callbacks(execute=True):
            import_file("blog.wxr", "--dry-run")
    finally:
        site_imported.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["source_site"] == "lea.example"
    assert sorted(received[0]["post_ids"]) == sorted(Post.objects.values_list("pk", flat=True))
