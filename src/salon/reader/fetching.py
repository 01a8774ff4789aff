"""Fetch one feed through ``salon.net`` and parse it, without touching the database.

``fetch_feed()`` never raises: every way a feed can fail becomes a ``FetchOutcome`` with a
``FeedProblem``, so one bad feed cannot stop a refresh of many. It runs in worker threads.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings

from salon import net

from .parsing import ParsedFeed, parse_feed
from .problems import ErrorCode, FeedProblem, problem_from_fetch_error

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 7 * 24 * 3600

OK = "ok"
NOT_MODIFIED = "not_modified"
GONE = "gone"
FAILED = "failed"


@dataclass
class FetchOutcome:
    status: str
    feed: ParsedFeed | None = None
    problem: FeedProblem | None = None
    moved_to: str = ""  # where a permanent redirect (301/308) said the feed now lives
    etag: str = ""
    last_modified: str = ""
    retry_after: int | None = None  # seconds the server asked us to wait (429, 503)
    seconds: float = 0.0


def limits():
    """(per-step timeout, size cap) for feed fetches.

    ``salon.net.fetch`` allows each network step ``timeout`` seconds and the whole body twice
    that, so half of ``SALON_READER_TIMEOUT`` per step keeps a feed within the setting.
    """
    return settings.SALON_READER_TIMEOUT / 2, settings.SALON_READER_MAX_BYTES


def settled_url(url, redirects):
    """The address to remember: followed through the permanent (301/308) redirects that
    start the chain; a temporary redirect anywhere keeps the address asked for from there."""
    current = url
    for status, target in redirects:
        if status not in (301, 308):
            break
        current = target
    return current


def fetch_document(url, headers=None):
    """GET ``url`` within the reader's limits; raise ``FeedProblem`` when it cannot be had."""
    timeout, max_bytes = limits()
    try:
        return net.fetch(
            url,
            headers=headers,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=MAX_REDIRECTS,
        )
    except net.FetchError as exc:
        raise problem_from_fetch_error(exc) from exc


def _retry_after(value):
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, min(int((when - datetime.now(UTC)).total_seconds()), MAX_RETRY_AFTER))


def http_problem(status_code):
    return FeedProblem(
        ErrorCode.HTTP, f"HTTP {status_code} {httpx.codes.get_reason_phrase(status_code)}".strip()
    )


def fetch_feed(url, etag="", last_modified=""):
    """Fetch and parse the feed at ``url`` with conditional GET; never raises."""
    started = time.monotonic()
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        result = fetch_document(url, headers)
        moved_to = settled_url(url, result.redirects)
        moved_to = "" if moved_to == url else moved_to
        status = result.status_code
        if status == 304:
            return FetchOutcome(
                NOT_MODIFIED,
                moved_to=moved_to,
                etag=result.headers.get("etag", ""),
                last_modified=result.headers.get("last-modified", ""),
                seconds=time.monotonic() - started,
            )
        if status == 410:
            return FetchOutcome(
                GONE,
                moved_to=moved_to,
                problem=FeedProblem(ErrorCode.GONE, "HTTP 410 Gone"),
                seconds=time.monotonic() - started,
            )
        if not 200 <= status < 300:
            return FetchOutcome(
                FAILED,
                moved_to=moved_to,
                problem=http_problem(status),
                retry_after=_retry_after(result.headers.get("retry-after"))
                if status in (429, 503)
                else None,
                seconds=time.monotonic() - started,
            )
        feed = parse_feed(result.content, result.content_type, result.url)
        return FetchOutcome(
            OK,
            feed=feed,
            moved_to=moved_to,
            etag=result.headers.get("etag", "")[:500],
            last_modified=result.headers.get("last-modified", "")[:100],
            seconds=time.monotonic() - started,
        )
    except FeedProblem as problem:
        return FetchOutcome(FAILED, problem=problem, seconds=time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - one odd feed must never stop the refresh
        return FetchOutcome(
            FAILED,
            problem=FeedProblem(ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}"[:500]),
            seconds=time.monotonic() - started,
        )
