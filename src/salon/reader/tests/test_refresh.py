"""Refreshing followed feeds from real HTTP servers: conditional GET, moves, gone feeds,
backoff, deduplication, first-seen order, and no flood from a new subscription."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salon.reader.models import Entry, Subscription, SubscriptionState
from salon.reader.problems import ErrorCode

from . import builders
from .server import sample

pytestmark = pytest.mark.django_db


def test_a_followed_feed_is_read_with_its_language_tags_and_site(feed_server, follow, refresh_all):
    """A refresh stores the feed's entries, its title, format, language and site address."""
    feed_server.serve("/rss.xml", sample("rss.xml"))
    sub = follow(feed_server.url("/rss.xml"))
    assert "1 read (3 new entries)" in refresh_all()
    sub.refresh_from_db()
    assert (sub.title, sub.kind, sub.language, sub.state) == (
        "Carnets de Léa",
        "rss",
        "fr",
        SubscriptionState.OK,
    )
    assert sub.site_url == "https://lea.example/"
    entry = sub.entries.get(guid="lea-3")
    assert entry.language == "fr" and entry.tags == ["back2blog", "quartier"]
    assert sub.next_check_at == sub.last_checked_at + timedelta(hours=1)


def test_conditional_get_sends_validators_and_accepts_304(feed_server, follow, refresh_all):
    """The second refresh sends If-None-Match and If-Modified-Since; a 304 changes nothing."""
    feed_server.serve_conditional("/rss.xml", sample("rss.xml"))
    sub = follow(feed_server.url("/rss.xml"))
    refresh_all()
    assert "1 unchanged" in refresh_all()
    first, second = feed_server.hits("/rss.xml")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.OK and sub.entries.count() == 3


def test_a_301_updates_the_feed_address_and_a_302_does_not(feed_server, follow, refresh_all):
    """A permanent redirect is remembered (and shown); a temporary one is only followed."""
    feed_server.serve("/new.xml", sample("rss.xml"))
    feed_server.redirect("/old.xml", "/new.xml", status=301)
    feed_server.redirect("/elsewhere.xml", "/new.xml", status=302)
    moved = follow(feed_server.url("/old.xml"))
    visiting = follow(feed_server.url("/elsewhere.xml"))
    refresh_all()
    moved.refresh_from_db()
    visiting.refresh_from_db()
    assert moved.feed_url == feed_server.url("/new.xml")
    assert moved.moved_from == feed_server.url("/old.xml")
    assert visiting.feed_url == feed_server.url("/elsewhere.xml")
    refresh_all()
    assert len(feed_server.hits("/old.xml")) == 1  # the old address is not asked again


def test_a_410_stops_the_feed_and_says_so(feed_server, follow, refresh_all, staff_client):
    """Gone means gone: no more requests, and the reason stays visible."""
    feed_server.serve("/gone.xml", b"", status=410, content_type="text/plain")
    sub = follow(feed_server.url("/gone.xml"))
    assert "1 gone" in refresh_all()
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.GONE and sub.next_check_at is None
    assert sub.last_error_code == ErrorCode.GONE
    refresh_all()
    assert len(feed_server.hits("/gone.xml")) == 1
    page = staff_client.get("/reader/subscriptions/")
    assert "HTTP 410" in page.content.decode()


def test_failures_back_off_and_the_last_error_stays_visible(feed_server, follow, refresh_all):
    """Each failure in a row doubles the wait; a success resets it but keeps the last error."""
    feed_server.serve("/flaky.xml", b"oops", status=500, content_type="text/plain")
    sub = follow(feed_server.url("/flaky.xml"))
    waits = []
    for _ in range(3):
        refresh_all()
        sub.refresh_from_db()
        waits.append(sub.next_check_at - sub.last_checked_at)
    assert waits == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4)]
    assert sub.state == SubscriptionState.FAILING and sub.error_count == 3
    assert sub.last_error_code == ErrorCode.HTTP and "500" in sub.last_error
    feed_server.serve("/flaky.xml", sample("rss.xml"))
    refresh_all()
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.OK and sub.error_count == 0
    assert sub.last_error_code == ErrorCode.HTTP  # still visible, with its date


def test_a_feed_that_is_not_due_is_not_fetched(feed_server, follow):
    """Without --all, only feeds whose next check has come are fetched."""
    from django.core.management import call_command

    feed_server.serve("/rss.xml", sample("rss.xml"))
    follow(feed_server.url("/rss.xml"), next_check_at=timezone.now() + timedelta(minutes=5))
    call_command("refresh-feeds")
    assert feed_server.hits("/rss.xml") == []


def test_retry_after_is_honoured(feed_server, follow, refresh_all):
    """A 503 with Retry-After waits at least that long before the next try."""
    feed_server.serve(
        "/busy.xml", b"", status=503, content_type="text/plain", headers={"Retry-After": "86400"}
    )
    sub = follow(feed_server.url("/busy.xml"))
    refresh_all()
    sub.refresh_from_db()
    assert sub.next_check_at - sub.last_checked_at == timedelta(days=1)


def test_duplicate_ids_and_links_give_one_entry(feed_server, follow, refresh_all):
    """Entries are deduplicated by id and by link, within a document and across refreshes."""
    feed_server.serve("/dup.xml", sample("duplicates.xml"))
    sub = follow(feed_server.url("/dup.xml"))
    refresh_all()
    assert sorted(sub.entries.values_list("title", flat=True)) == ["Different", "First copy"]
    refresh_all()
    assert sub.entries.count() == 2


def test_an_entry_changed_in_place_is_updated_not_duplicated(feed_server, follow, refresh_all):
    """Same id, new title: the stored entry changes, keeps its place and its read state."""
    items = [builders.item(1, days_ago=1)]
    feed_server.serve("/feed.xml", lambda: builders.rss(items))
    sub = follow(feed_server.url("/feed.xml"))
    refresh_all()
    entry = sub.entries.get()
    Entry.objects.filter(pk=entry.pk).update(is_read=True)
    items[0]["title"] = "Post 1, corrected"
    refresh_all()
    updated = sub.entries.get()
    assert (updated.pk, updated.title, updated.is_read) == (entry.pk, "Post 1, corrected", True)
    assert updated.first_seen_at == entry.first_seen_at


def test_the_river_is_ordered_by_first_seen_not_by_the_feed_dates(feed_server, follow, refresh_all):
    """A back-dated new entry still comes first; a re-dated old one does not move up."""
    items = [builders.item(1, days_ago=2)]
    feed_server.serve("/feed.xml", lambda: builders.rss(items))
    sub = follow(feed_server.url("/feed.xml"))
    refresh_all()
    items.insert(0, builders.item(2, days_ago=3650))  # new, but claims to be ten years old
    items[1]["date"] = timezone.now() + timedelta(days=30)  # old, re-dated into the future
    refresh_all()
    river = list(Entry.objects.river().values_list("title", flat=True))
    assert river == ["Post 2", "Post 1"]
    assert sub.entries.get(title="Post 1").dated_at <= timezone.now()


def test_a_new_subscription_does_not_flood_the_river(feed_server, follow, refresh_all):
    """On the first read only the three newest entries are unread; the back catalogue is
    stored as read, at its own dates, below them."""
    items = [builders.item(n, days_ago=n) for n in range(1, 21)]
    feed_server.serve("/feed.xml", builders.rss(items))
    sub = follow(feed_server.url("/feed.xml"))
    refresh_all()
    assert sub.entries.count() == 20
    unread = list(sub.entries.unread().river().values_list("title", flat=True))
    assert unread == ["Post 1", "Post 2", "Post 3"]
    river = list(Entry.objects.river().values_list("title", flat=True))
    assert river == [f"Post {n}" for n in range(1, 21)]
    oldest = sub.entries.get(title="Post 20")
    assert oldest.first_seen_at < timezone.now() - timedelta(days=19)


def test_later_entries_are_all_new(feed_server, follow, refresh_all):
    """After the first read, every entry that appears is unread, however many."""
    items = [builders.item(n, days_ago=10 + n) for n in range(1, 6)]
    feed_server.serve("/feed.xml", lambda: builders.rss(items))
    sub = follow(feed_server.url("/feed.xml"))
    refresh_all()
    items[:0] = [builders.item(n, days_ago=0) for n in range(100, 105)]
    refresh_all()
    assert sub.entries.unread().count() == 3 + 5


def test_feeds_are_fetched_concurrently_within_the_bound(feed_server, follow, settings):
    """Many feeds are fetched in parallel, never more at once than the setting allows."""
    from django.core.management import call_command

    settings.SALON_READER_CONCURRENCY = 3
    for n in range(9):
        feed_server.serve(f"/slow{n}.xml", builders.rss([builders.item(n, days_ago=1)]), delay=0.2)
        follow(feed_server.url(f"/slow{n}.xml"))
    call_command("refresh-feeds")
    assert Subscription.objects.filter(state=SubscriptionState.OK).count() == 9
    assert feed_server.max_in_flight == 3
