"""--media brings attachments home after the import (from a folder or over HTTP), and rewrites
the posts that show them; a missing file stays at its old address and never fails the import."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError

from salon.blog.models import Post

pytestmark = pytest.mark.django_db

OLD = "https://lea.example/wp-content/uploads/2019/01/neige.jpg"


@pytest.fixture
def uploads(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "uploads"
    (folder / "2019" / "01").mkdir(parents=True)
    (folder / "2019" / "01" / "neige.jpg").write_bytes(b"snow")
    return folder  # gants.jpg is missing on purpose


def new_address():
    return f"{django_settings.SITE_URL}/media/wordpress/2019/01/neige.jpg"


def check_brought_home(tmp_path):
    assert (tmp_path / "media" / "wordpress" / "2019" / "01" / "neige.jpg").read_bytes() == b"snow"
    post = Post.objects.get(slug="le-velo-en-hiver")
    assert post.cover_image_url == new_address()
    assert OLD not in post.body_html and new_address() in post.body_html
    assert "https://lea.example/wp-content/uploads/2019/01/gants.jpg" in post.body_html


def test_media_from_a_folder(import_file, uploads, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = import_file("blog.wxr", "--media", uploads)
    assert "in the background" in output
    check_brought_home(tmp_path)


def test_media_over_http(import_file, uploads, tmp_path, django_capture_on_commit_callbacks):
    handler = partial(SimpleHTTPRequestHandler, directory=str(uploads))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with django_capture_on_commit_callbacks(execute=True):
            import_file("blog.wxr", "--media", base)
    finally:
        server.shutdown()
        server.server_close()
    check_brought_home(tmp_path)


def test_a_media_source_that_is_neither_is_refused(import_file):
    with pytest.raises(CommandError, match="neither a folder nor an http"):
        import_file("blog.wxr", "--media", "/no/such/folder")
    assert not Post.objects.exists()
