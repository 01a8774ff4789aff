"""The README's nginx configuration, run for real in front of a real Salon server with static
publishing: published pages come from nginx, and a change is visible through it at once."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from .live import get, salon, salon_env, start_nginx, start_salon

EDIT = """
from django.db import transaction
from salon.blog.models import Post
post = Post.objects.published().order_by("-published_at").first()
with transaction.atomic():
    post.title = "{title}"
    post.save()
"""


@pytest.fixture
def published():
    """A folder nginx's own account can read (its workers drop root's rights): outside
    pytest's private temporary folders."""
    folder = Path(tempfile.mkdtemp(prefix="salon-published-"))
    folder.chmod(0o755)
    yield folder / "site"
    shutil.rmtree(folder, ignore_errors=True)


def test_a_published_change_is_visible_through_nginx_at_once(tmp_path, published):
    env = salon_env(
        tmp_path / "data",
        SALON_STATIC_PUBLISH_DIR=str(published),
        SALON_WEB_WORKERS="1",
        SALON_WEB_THREADS="2",
        SALON_TRUSTED_PROXIES="127.0.0.1",
    )
    salon(env, "bootstrap")
    # The demo's index and similar lists first: their tasks, done later by the server's
    # worker, would purge (rightly) in the middle of the test.
    salon(env, "worker", "--batch")
    app = nginx = None
    try:
        app, app_url = start_salon(env, tmp_path / "salon.log")
        nginx, front = start_nginx(tmp_path / "nginx", published, app_url.split("//")[1])
        status, headers, first = get(front + "/")
        assert status == 200 and headers["X-Salon-Page-Cache"] == "miss"  # from Salon
        status, headers, second = get(front + "/")
        assert headers["X-Salon-Page-Cache"] == "published"  # from the file, by nginx
        assert second == first and headers["Content-Type"] == "text/html; charset=utf-8"
        # gzip from the published copy, and the reader's language.
        _, headers, _ = get(front + "/", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        get(front + "/", **{"Accept-Language": "fr-FR,fr;q=0.9"})
        _, headers, french = get(front + "/", **{"Accept-Language": "fr-FR,fr;q=0.9"})
        assert headers["X-Salon-Page-Cache"] == "published" and b'<html lang="fr">' in french
        # Feeds too, with their type.
        get(front + "/feed/")
        _, headers, _ = get(front + "/feed/")
        assert headers["X-Salon-Page-Cache"] == "published"
        assert headers["Content-Type"].startswith("application/rss+xml")
        # A search, under its query string as sent, accented words included.
        for address in ("/search/?q=salon", "/search/?q=%C3%A9crire&page=1"):
            _, headers, from_app = get(front + address)
            assert headers["X-Salon-Page-Cache"] == "miss", address
            _, headers, from_file = get(front + address)
            assert headers["X-Salon-Page-Cache"] == "published", address
            assert from_file == from_app and b'<html lang="en">' in from_file
        # A signed-in reader (a session cookie) and a query string that cannot be a file name
        # or is not the page's go to Salon.
        _, headers, _ = get(front + "/", Cookie="sessionid=x")
        assert headers["X-Salon-Page-Cache"] != "published"
        for address in ("/search/?q=a/b", "/search/?q=salon&utm_source=boost", "/?page=x"):
            get(front + address)
            _, headers, _ = get(front + address)
            assert headers["X-Salon-Page-Cache"] != "published", address

        # An edit made by another process (as the admin would): visible at the next request.
        salon(env, "shell", "-c", EDIT.format(title="Un titre tout neuf"))
        status, headers, after = get(front + "/")
        assert status == 200 and "Un titre tout neuf" in after.decode()
        assert headers["X-Salon-Page-Cache"] == "miss"
        # Published again once the worker has followed the edit (index, similar lists: each
        # makes the pages stale once more).
        deadline = time.monotonic() + 60
        while headers["X-Salon-Page-Cache"] != "published":
            assert time.monotonic() < deadline, "the page was never published again"
            time.sleep(0.2)
            _, headers, again = get(front + "/")
        assert "Un titre tout neuf" in again.decode()
        _, headers, _ = get(front + "/search/?q=salon")
        assert headers["X-Salon-Page-Cache"] != "published"  # the search went with the edit
    finally:
        for process in (nginx, app):
            if process is not None:
                process.stop()
