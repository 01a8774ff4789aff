"""Every bad feed is handled and reported on its status, never a crash of the refresh and
never a 500 on the reader pages."""

import time

import pytest

from salon.reader.models import SubscriptionState
from salon.reader.problems import ErrorCode

from .server import sample

pytestmark = pytest.mark.django_db


def _status(sub):
    sub.refresh_from_db()
    return sub.state, sub.last_error_code


def test_a_malformed_feed_is_reported(feed_server, follow, refresh_all):
    """A broken document with nothing identifiable in it fails as malformed."""
    feed_server.serve("/broken.xml", sample("malformed.xml"))
    sub = follow(feed_server.url("/broken.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.MALFORMED)
    assert sub.entries.count() == 0 and sub.last_error


def test_a_recoverable_feed_is_read_and_its_errors_noted(feed_server, follow, refresh_all):
    """A feed with an unescaped ampersand is still read; the problem is noted, not hidden."""
    feed_server.serve("/tj.xml", sample("recoverable.xml"))
    sub = follow(feed_server.url("/tj.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.OK, ErrorCode.MALFORMED)
    assert sub.last_error.startswith("read despite errors")
    assert list(sub.entries.values_list("title", flat=True)) == ["Cats & mice"]


def test_an_html_page_instead_of_a_feed(feed_server, follow, refresh_all):
    """A feed address that now serves a web page says so."""
    feed_server.serve("/feed.xml", sample("page.html"), content_type="text/html")
    sub = follow(feed_server.url("/feed.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.HTML)


def test_a_redirect_loop(feed_server, follow, refresh_all):
    """A feed redirecting in a loop stops after a few hops."""
    feed_server.redirect("/a.xml", "/b.xml", status=302)
    feed_server.redirect("/b.xml", "/a.xml", status=302)
    sub = follow(feed_server.url("/a.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.REDIRECTS)
    assert len(feed_server.requests) <= 6


def test_a_server_that_never_answers(feed_server, follow, refresh_all):
    """A silent server costs at most the configured time (4 s in tests)."""
    feed_server.never_answer("/silent.xml")
    sub = follow(feed_server.url("/silent.xml"))
    started = time.monotonic()
    refresh_all()
    assert time.monotonic() - started < 4.5
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.TIMEOUT)


def test_an_endless_response_is_cut_at_the_size_cap(feed_server, follow, refresh_all):
    """A body that never ends (no Content-Length) is dropped once it passes 5 MB."""
    feed_server.endless("/huge.xml")
    sub = follow(feed_server.url("/huge.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.TOO_LARGE)
    assert "5,242,880" in sub.last_error


def test_a_declared_2_gb_response_is_refused_before_reading(feed_server, follow, refresh_all):
    """A Content-Length of 2 GB is refused from the headers alone."""
    feed_server.endless("/2gb.xml", declared=2 * 1024**3)
    sub = follow(feed_server.url("/2gb.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.TOO_LARGE)
    assert "2,147,483,648" in sub.last_error


def test_entries_without_dates_or_titles_are_kept_and_shown(
    feed_server, follow, refresh_all, staff_client
):
    """Undated, untitled entries are stored and the reader shows them by their text."""
    from lxml import html

    feed_server.serve("/notes.xml", sample("undated.xml"))
    sub = follow(feed_server.url("/notes.xml"))
    refresh_all()
    assert sub.entries.count() == 3
    assert sub.entries.filter(published_at=None).count() == 3
    page = staff_client.get("/reader/?show=all")
    assert page.status_code == 200
    titles = html.fromstring(page.content).xpath("//h2[@class='reader-entry-title']/a")
    # Undated entries keep the feed's order (newest first, by convention).
    assert [a.text_content() for a in titles] == [
        "A note with neither title nor date.",
        "A title, but no date",
        "Only an id and some words.",
    ]


def test_a_private_address_is_refused(feed_server, follow, refresh_all, settings):
    """Outside tests, loopback and private addresses are blocked by the shared guard."""
    settings.SALON_NET_ALLOW_LOOPBACK = False
    feed_server.serve("/rss.xml", sample("rss.xml"))
    sub = follow(feed_server.url("/rss.xml"))
    refresh_all()
    assert _status(sub) == (SubscriptionState.FAILING, ErrorCode.BLOCKED)
    assert feed_server.requests == []


def test_one_refresh_survives_every_bad_feed_at_once(
    feed_server, follow, refresh_all, staff_client
):
    """All the bad cases in one run: the good feed is read, each bad one has its status, and
    the reader pages answer."""
    feed_server.serve("/good.xml", sample("rss.xml"))
    feed_server.serve("/broken.xml", sample("malformed.xml"))
    feed_server.serve("/page.xml", sample("page.html"), content_type="text/html")
    feed_server.redirect("/loop.xml", "/loop.xml", status=301)
    feed_server.never_answer("/silent.xml")
    feed_server.endless("/huge.xml")
    feed_server.serve("/json.json", b"{not json", content_type="application/feed+json")
    feed_server.serve("/gone.xml", b"", status=410)
    subs = {
        path: follow(feed_server.url(path))
        for path in [
            "/good.xml",
            "/broken.xml",
            "/page.xml",
            "/loop.xml",
            "/silent.xml",
            "/huge.xml",
            "/json.json",
            "/gone.xml",
            "/missing.xml",
        ]
    }
    summary = refresh_all()
    assert summary == "9 feeds checked: 1 read (3 new entries), 0 unchanged, 7 failed, 1 gone"
    codes = {path: _status(sub)[1] for path, sub in subs.items()}
    assert codes == {
        "/good.xml": "",
        "/broken.xml": ErrorCode.MALFORMED,
        "/page.xml": ErrorCode.HTML,
        "/loop.xml": ErrorCode.REDIRECTS,
        "/silent.xml": ErrorCode.TIMEOUT,
        "/huge.xml": ErrorCode.TOO_LARGE,
        "/json.json": ErrorCode.MALFORMED,
        "/gone.xml": ErrorCode.GONE,
        "/missing.xml": ErrorCode.HTTP,
    }
    for url in ["/reader/", "/reader/?show=all", "/reader/subscriptions/"] + [
        f"/reader/site/{sub.pk}/" for sub in subs.values()
    ]:
        assert staff_client.get(url).status_code == 200, url
