"""Refreshing followed feeds: fetch in a bounded pool of threads, write from the calling thread.

Worker threads only fetch and parse (``fetching.fetch_feed``, no database); each outcome is
written as soon as it arrives, in its own transaction, so a failing feed never stops the others
and memory holds a handful of parsed feeds at a time, not all of them.
"""

import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from salon import outbox

from . import fetching
from .fetching import FetchOutcome, fetch_feed
from .models import Entry, Participant, Subscription, SubscriptionState
from .problems import ErrorCode, FeedProblem
from .signals import feed_refreshed

logger = logging.getLogger(__name__)

# A new subscription shows only its few newest entries as new: the back catalogue is stored
# (challenges count it) but read, and dated where it belongs instead of on top of the river.
FIRST_FETCH_UNREAD = 3
# Entries taken from one document: a full-archive feed cannot fill the database in one go.
MAX_ENTRIES_PER_FETCH = 500
# Failing feeds are retried after the normal interval, then twice as long each time, up to this.
MAX_BACKOFF = timedelta(days=1)
# Feeds refreshed by one scheduled run; the rest wait for the next run.
BATCH_SIZE = 1000


@dataclass
class RefreshSummary:
    checked: int = 0
    updated: int = 0
    not_modified: int = 0
    failed: int = 0
    gone: int = 0
    new_entries: int = 0

    def count(self, status, new_entries):
        self.checked += 1
        self.new_entries += new_entries
        if status == fetching.OK:
            self.updated += 1
        elif status == fetching.NOT_MODIFIED:
            self.not_modified += 1
        elif status == fetching.GONE:
            self.gone += 1
        else:
            self.failed += 1

    def as_dict(self):
        return asdict(self)

    def __str__(self):
        return (
            f"{self.checked} feeds checked: {self.updated} read ({self.new_entries} new entries), "
            f"{self.not_modified} unchanged, {self.failed} failed, {self.gone} gone"
        )


def interval():
    return timedelta(seconds=settings.SALON_READER_INTERVAL)


def backoff_delay(error_count, retry_after=None):
    """How long to wait after ``error_count`` failures in a row (and the server's Retry-After):
    the outbox's doubling from the normal interval, never given up (a feed is read on)."""
    longest = max(MAX_BACKOFF, interval())
    delay = timedelta(
        seconds=outbox.doubling(interval().total_seconds(), longest.total_seconds(), error_count)
    )
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def _dedupe(parsed_entries):
    """Entries of one document, each id and each link once (the first occurrence wins)."""
    seen_keys, seen_urls, unique = set(), set(), []
    for entry in parsed_entries:
        if entry.key in seen_keys or (entry.url and entry.url in seen_urls):
            continue
        seen_keys.add(entry.key)
        if entry.url:
            seen_urls.add(entry.url)
        unique.append(entry)
        if len(unique) >= MAX_ENTRIES_PER_FETCH:
            break
    return unique


UPDATABLE_FIELDS = [
    "url",
    "title",
    "author",
    "content_html",
    "summary_text",
    "language",
    "tags",
    "updated_at",
    "enclosures",
]


def store_entries(subscription, feed, now):
    """Add the feed's new entries and refresh the known ones; return how many are new."""
    parsed = _dedupe(feed.entries)
    if not parsed:
        return 0
    keys = [entry.key for entry in parsed]
    urls = [entry.url for entry in parsed if entry.url]
    existing = list(subscription.entries.filter(Q(key__in=keys) | Q(url__in=urls)))
    by_key = {entry.key: entry for entry in existing}
    by_url = {entry.url: entry for entry in existing if entry.url}
    first_fetch = subscription.last_success_at is None and not (
        existing or subscription.entries.exists()
    )
    new, changed = [], []
    for item in parsed:
        current = by_key.get(item.key)
        if current is None and item.url:
            current = by_url.get(item.url)
        if current is None:
            new.append(item)
            continue
        values = {
            "url": item.url or current.url,
            "title": item.title,
            "author": item.author,
            "content_html": item.content_html,
            "summary_text": item.summary_text,
            "language": item.language,
            "tags": item.tags,
            "updated_at": item.updated_at or current.updated_at,
            "enclosures": item.enclosures,
        }
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
    if changed:
        Entry.objects.bulk_update(changed, UPDATABLE_FIELDS, batch_size=200)
    if not new:
        return 0
    # Oldest first, so the newest entry gets the highest id (the river's tie-break).
    if all(item.date for item in new):
        new.sort(key=lambda item: item.date)
    else:
        new.reverse()  # feeds list their newest entries first
    rows = []
    for index, item in enumerate(new):
        from_newest = len(new) - 1 - index
        backlog = first_fetch and from_newest >= FIRST_FETCH_UNREAD
        seen = now
        if backlog:
            seen = min(item.date, now) if item.date else now - timedelta(microseconds=from_newest)
        rows.append(
            Entry(
                subscription=subscription,
                key=item.key,
                guid=item.guid,
                url=item.url,
                title=item.title,
                author=item.author,
                content_html=item.content_html,
                summary_text=item.summary_text,
                language=item.language,
                tags=item.tags,
                enclosures=item.enclosures,
                published_at=item.published_at,
                updated_at=item.updated_at,
                first_seen_at=seen,
                dated_at=min(item.date or seen, seen),
                is_read=backlog,
            )
        )
    Entry.objects.bulk_create(rows, batch_size=200, ignore_conflicts=True)
    return len(rows)


def _record_move(subscription, new_url, now):
    if Subscription.objects.filter(feed_url=new_url).exclude(pk=subscription.pk).exists():
        # Already followed under its new address: keep this one as it is (the redirect still
        # delivers the feed) rather than merging two histories.
        logger.info("feed %s moved to %s, already followed", subscription.feed_url, new_url)
        return
    subscription.moved_from = subscription.feed_url
    subscription.moved_at = now
    subscription.feed_url = new_url
    Participant.objects.filter(subscription=subscription).update(feed_url=new_url)


def _record_problem(subscription, problem, now):
    subscription.last_error_code = problem.code
    subscription.last_error = (problem.detail or "")[:2000]
    subscription.last_error_at = now


def apply_outcome(subscription, outcome: FetchOutcome, now=None):
    """Write one fetch outcome; return the number of new entries."""
    now = now or timezone.now()
    new_entries = 0
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
        if sub is None:  # unfollowed while it was being fetched
            return 0
        sub.last_checked_at = now
        if outcome.moved_to:
            _record_move(sub, outcome.moved_to, now)
        if outcome.status == fetching.OK:
            feed = outcome.feed
            new_entries = store_entries(sub, feed, now)
            sub.title = feed.title or sub.title
            sub.kind = feed.kind
            sub.language = feed.language
            sub.site_url = feed.site_url or sub.site_url
            sub.etag, sub.last_modified = outcome.etag, outcome.last_modified
        elif outcome.status == fetching.NOT_MODIFIED:
            sub.etag = outcome.etag or sub.etag
            sub.last_modified = outcome.last_modified or sub.last_modified
        if outcome.status in (fetching.OK, fetching.NOT_MODIFIED):
            sub.state = SubscriptionState.OK
            sub.error_count = 0
            sub.last_success_at = now
            sub.next_check_at = now + interval()
            if outcome.feed is not None and outcome.feed.warning:
                _record_problem(
                    sub,
                    FeedProblem(
                        ErrorCode.MALFORMED, "read despite errors: " + outcome.feed.warning
                    ),
                    now,
                )
        elif outcome.status == fetching.GONE:
            sub.state = SubscriptionState.GONE
            sub.next_check_at = None
            _record_problem(sub, outcome.problem, now)
        else:
            sub.state = SubscriptionState.FAILING
            sub.error_count += 1
            sub.next_check_at = now + backoff_delay(sub.error_count, outcome.retry_after)
            _record_problem(sub, outcome.problem, now)
        sub.save()
    subscription.__dict__.update(sub.__dict__)
    feed_refreshed.send(
        sender=Subscription, subscription=sub, status=outcome.status, new_entries=new_entries
    )
    return new_entries


def _record_crash(subscription, exc):
    """Last resort when writing an outcome failed: note it on the feed and back off."""
    now = timezone.now()
    try:
        error_count = subscription.error_count + 1
        Subscription.objects.filter(pk=subscription.pk).update(
            state=SubscriptionState.FAILING,
            error_count=error_count,
            last_checked_at=now,
            last_error_at=now,
            last_error_code=ErrorCode.INTERNAL,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_check_at=now + backoff_delay(error_count),
        )
    except Exception:  # noqa: BLE001 - the database itself is failing; the log has it
        logger.exception("could not record the failure of feed %s", subscription.pk)


def refresh_subscriptions(subscriptions, concurrency=None):
    """Fetch the given subscriptions, ``concurrency`` at a time; return a ``RefreshSummary``."""
    subscriptions = list(subscriptions)
    summary = RefreshSummary()
    if not subscriptions:
        return summary
    workers = max(1, min(concurrency or settings.SALON_READER_CONCURRENCY, len(subscriptions)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="salon-feed") as pool:
        pending = {
            pool.submit(fetch_feed, sub.feed_url, sub.etag, sub.last_modified): sub
            for sub in subscriptions
        }
        for future in as_completed(pending):
            sub = pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - fetch_feed already catches; belt and braces
                outcome = FetchOutcome(
                    fetching.FAILED, problem=FeedProblem(ErrorCode.INTERNAL, repr(exc)[:500])
                )
            del future
            try:
                new_entries = apply_outcome(sub, outcome)
                status = outcome.status
            except Exception as exc:  # noqa: BLE001 - one feed must never stop the refresh
                logger.exception("could not store feed %s", sub.feed_url)
                _record_crash(sub, exc)
                new_entries, status = 0, fetching.FAILED
            summary.count(status, new_entries)
            outcome = None
    return summary


def refresh_due(limit=BATCH_SIZE, now=None):
    """Refresh every checked feed whose next check time has come (at most ``limit``)."""
    due = Subscription.objects.due(now)[:limit]
    return refresh_subscriptions(due)


def refresh_ids(ids):
    """Refresh the given feeds now, whatever their schedule (gone feeds excepted)."""
    return refresh_subscriptions(Subscription.objects.checked().filter(pk__in=ids))
