"""Past one machine: two app servers, each with its worker, on one PostgreSQL and one Redis.
An edit made through one is seen through the other at once (pages and search), and the
database task queue runs each task exactly once with several workers."""

import http.cookiejar
import os
import re
import secrets
import time
import urllib.parse
import urllib.request

import pytest
from lxml import html

from salon.testing import require

from .live import salon, salon_env, start_salon

REDIS = "redis://127.0.0.1:6379/0"


def reachable(check):
    try:
        check()
    except Exception:  # noqa: BLE001 - any failure means "not there"
        return False
    return True


@pytest.fixture
def postgres_database():
    """A database of its own on the PostgreSQL the tests use (or the local default), dropped at
    the end: its URL."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urllib.parse.urlsplit(url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    require(
        reachable(lambda: psycopg.connect(admin_url, connect_timeout=3).close()),
        f"no PostgreSQL at {parts.hostname}:{parts.port}",
        "start PostgreSQL (or set DATABASE_URL) to run the multi-server test",
    )
    name = f"salon_multi_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_prefix():
    import redis

    client = redis.Redis.from_url(REDIS)
    require(
        reachable(client.ping),
        "no Redis at 127.0.0.1:6379",
        "start Redis to run the multi-server test",
    )
    prefix = f"salon-test-{secrets.token_hex(4)}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class Browser:
    """A reader with cookies (for the admin)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode(), dict(response.headers)

    def submit(self, path, form_path, changes):
        """Fill the page's form with ``changes`` and send it to ``form_path`` (else ``path``)."""
        page, _ = self.get(path)
        document = html.fromstring(page)
        # The admin's own form (login-form, <model>_form), not the header's logout-form.
        form = next(
            form
            for form in document.forms
            if form.get("id") == "login-form" or (form.get("id") or "").endswith("_form")
        )
        values = dict(form.form_values())
        values.update(changes)
        data = urllib.parse.urlencode(values).encode()
        request = urllib.request.Request(
            self.base + (form_path or path), data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def text_of(page):
    """A page's text without its tags (search results mark the words found)."""
    return re.sub(r"<[^>]+>", "", page)


def anonymous(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read().decode(), response.headers.get("X-Salon-Page-Cache")


def test_two_app_servers_and_two_workers_on_one_database(tmp_path, postgres_database, redis_prefix):
    shared = {
        "DATABASE_URL": postgres_database,
        "SALON_CACHE_URL": REDIS,
        "SALON_CACHE_KEY_PREFIX": redis_prefix,
        "SALON_SECRET_KEY": secrets.token_urlsafe(40),
        "SALON_WEB_WORKERS": "1",
        "SALON_WEB_THREADS": "2",
    }
    env_a = salon_env(tmp_path / "a", **shared)
    env_b = salon_env(tmp_path / "b", **shared)
    said = salon(env_a, "bootstrap")
    password = re.search(r"password:\s+(\S+)", said).group(1)
    salon(env_a, "worker", "--batch")  # the demo's index and lists, before anything is kept
    first = second = None
    try:
        first, url_a = start_salon(env_a, tmp_path / "a.log")
        second, url_b = start_salon(env_b, tmp_path / "b.log")

        # The author, signed in on A, picks a post; B keeps its page, the home page and a search.
        author = Browser(url_a)
        author.submit(
            "/admin/login/?next=/admin/",
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": password},
        )
        newest = salon(
            env_a,
            "shell",
            "-c",
            "from salon.blog.models import Post; "
            "post = Post.objects.published().order_by('-published_at').first(); "
            "print(post.pk, post.get_absolute_url())",
        )
        pk, permalink = newest.split()[-2:]
        change_path = f"/admin/blog/post/{pk}/change/"
        for path in (permalink, "/", "/search/?q=neuf"):
            anonymous(url_b, path)
            page, state = anonymous(url_b, path)
            assert state == "hit" and "Tout neuf" not in page

        # The author edits the post through A's admin.
        saved = author.submit(change_path, None, {"title": "Tout neuf", "_save": "Save"})
        assert "errornote" not in saved, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', saved)

        # B shows it at the very next request: its kept pages were purged through Redis.
        page, state = anonymous(url_b, permalink)
        assert "Tout neuf" in page and state == "miss"
        assert anonymous(url_b, "/")[1] == "miss"
        # The search index follows in a worker's task (A's or B's), then B's kept results go.
        deadline = time.monotonic() + 60
        while "Tout neuf" not in text_of(anonymous(url_b, "/search/?q=neuf")[0]):
            assert time.monotonic() < deadline, "the search never found the edited post"
            time.sleep(0.2)

        # Forty tasks queued, two workers: each task run once, by either.
        salon(
            env_a,
            "shell",
            "-c",
            "from salon.pagecache.tests.tasks import enqueue_many; enqueue_many(40)",
        )
        count = (
            "from django.core.cache import cache; "
            "ran = [cache.get(f'ran:{n}') for n in range(40)]; "
            "twice = [n for n in range(40) if cache.get(f'twice:{n}')]; "
            "print(sum(1 for pid in ran if pid), len(set(filter(None, ran))), len(twice))"
        )
        deadline = time.monotonic() + 90
        while True:
            done, workers, twice = map(int, salon(env_a, "shell", "-c", count).split()[-3:])
            if done == 40 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert (done, twice) == (40, 0)
        assert workers == 2, "one worker did all the work"
    finally:
        for process in (first, second):
            if process is not None:
                process.stop()
