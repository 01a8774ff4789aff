"""Kept pages answered by the WSGI application before Django's handler (salon.pagecache.wsgi):
the same bytes Django gave the same request, never once the page changed, and only for requests
whose answer cannot differ."""

import gzip
import time

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory

from salon.blog.tests.factories import PostFactory
from salon.pagecache import store, wsgi
from salon.pagecache.middleware import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    wsgi._answers.clear()


@pytest.fixture
def application():
    return wsgi.KeptPagesFirst(get_wsgi_application())


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return PostFactory(title="Marcher en ville", language="fr", body="On pense. " * 60)


class Answer:
    def __init__(self, status, headers, body, through_django):
        self.status, self.headers, self.body = status, headers, body
        self.through_django = through_django

    def __getitem__(self, name):
        return dict(self.headers)[name]


def call(application, path, method="GET", **headers):
    """Call the WSGI application as a server does: the answer, and whether Django's handler
    took the request (it sends ``request_started``)."""
    environ = RequestFactory().generic(method, path, headers=headers).environ
    seen, sent = [], []

    def started(**kwargs):
        seen.append(True)

    def start_response(status, response_headers, exc_info=None):
        sent[:] = [status, response_headers]

    # As Django's test client does: the test's database connection holds its transaction, and
    # the handler's signals would close it (on PostgreSQL, with its health checks).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    request_started.connect(started)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.disconnect(started)
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return Answer(sent[0], sent[1], body, through_django=bool(seen))


def test_a_kept_page_goes_out_before_django_with_the_bytes_django_gave(application, post):
    path = post.get_absolute_url()
    rendered = call(application, path)
    assert rendered.through_django and rendered[HEADER] == "miss"
    early = call(application, path)
    assert early.through_django and early[HEADER] == "hit"
    first = call(application, path)
    assert not first.through_django
    assert (first.status, first.headers, first.body) == (early.status, early.headers, early.body)
    assert "Marcher en ville" in first.body.decode()
    # Headers the whole stack gave the page are there, validators and Vary included.
    for name in ("ETag", "Vary", "Content-Language", "X-Content-Type-Options", "Link"):
        assert first[name] == early[name], name


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_every_answer_says_its_length(application, post, encoding):
    # Without it a server sends the page in chunks (gunicorn: a third write for the last,
    # empty chunk) and an HTTP/1.0 client cannot keep its connection.
    path = post.get_absolute_url()
    answers = [call(application, path, **{"Accept-Encoding": encoding}) for _ in range(3)]
    assert [answer[HEADER] for answer in answers] == ["miss", "hit", "hit"]
    assert not answers[2].through_django
    for answer in answers:
        assert answer["Content-Length"] == str(len(answer.body)), answer[HEADER]
    assert (answers[2].body[:2] == b"\x1f\x8b") == (encoding == "gzip")


def test_a_change_shows_at_once(application, post, django_capture_on_commit_callbacks):
    path = post.get_absolute_url()
    for _ in range(3):
        call(application, path)
    assert not call(application, path).through_django
    post.title = "Marcher à Lyon"
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    changed = call(application, path)
    assert changed.through_django and "Marcher à Lyon" in changed.body.decode()
    # …and the new page is then answered early in its turn.
    call(application, path)
    again = call(application, path)
    assert not again.through_django and "Marcher à Lyon" in again.body.decode()


def test_requests_that_differ_in_what_the_answer_reads_get_their_own(application, post):
    variants = {
        "english": {"Accept-Language": "en"},
        "french": {"Accept-Language": "fr"},
        "french by cookie": {"Accept-Language": "en", "Cookie": "django_language=fr"},
        "gzip": {"Accept-Language": "en", "Accept-Encoding": "gzip, br"},
    }
    answers = {}
    for name, headers in variants.items():
        for _ in range(3):
            answers[name] = call(application, "/", **headers)
        assert not answers[name].through_django, name
    assert answers["english"]["Content-Language"] == "en"
    assert answers["french"]["Content-Language"] == "fr"
    assert answers["french by cookie"]["Content-Language"] == "fr"
    assert answers["gzip"]["Content-Encoding"] == "gzip"
    assert gzip.decompress(answers["gzip"].body) == answers["english"].body
    assert b'lang="fr"' in answers["french"].body and b'lang="en"' in answers["english"].body
    head = [call(application, "/", method="HEAD", **variants["english"]) for _ in range(3)]
    assert head[0].through_django and not head[2].through_django
    assert head[2]["ETag"] == answers["english"]["ETag"]


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": "*"},
        {"Cookie": "sessionid=abc"},
        {"Cookie": "messages=abc"},
    ],
    ids=["conditional", "session", "message"],
)
def test_answers_that_may_differ_go_through_django(application, post, headers):
    for _ in range(3):
        call(application, "/")
    answer = call(application, "/", **headers)
    assert answer.through_django


def test_a_query_string_or_a_post_is_never_taken_for_the_page(application, post):
    for _ in range(3):
        call(application, "/")
    assert call(application, "/?utm_source=boost").through_django
    assert call(application, "/", method="POST").through_django


def test_an_expired_page_goes_through_django(application, post, monkeypatch):
    for _ in range(3):
        call(application, "/")
    assert not call(application, "/").through_django
    later = time.time() + 601

    class Clock:
        @staticmethod
        def time():
            return later

        @staticmethod
        def time_ns():
            return int(later * 1e9)

    monkeypatch.setattr(store, "time", Clock)
    assert call(application, "/").through_django


def test_the_cache_switched_off_answers_nothing_early(application, post, settings):
    for _ in range(3):
        call(application, "/")
    settings.SALON_PAGE_CACHE_SECONDS = 0
    assert call(application, "/").through_django
