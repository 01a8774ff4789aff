"""The cache's keys, its generation, what a kept page holds, and its per-visitor CSRF token."""

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import urlencode

from . import publish
from .cell import cell

GENERATION_KEY = "salon:pages:generation"
# The entries' layout is in the prefix: a new layout never reads an old one.
KEY_PREFIX = "salon:page3:"
MARK = "salon_page_cache"  # the attribute cached_for_readers() sets on a view

_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


# Query parameters a kept page may have: a river's page number. A view may allow more.
PAGE_PARAMS = ("page",)
# Longest query string worth an entry (a search with its filters fits easily).
MAX_QUERY = 300


def cached_for_readers(view, params=PAGE_PARAMS):
    """Mark ``view``: its GET answers to anonymous readers may be kept and served again, for
    addresses whose query string holds only ``params`` (each at most once); any other query
    string is someone's own (a notice after commenting, a tracking parameter)."""
    setattr(view, MARK, frozenset(params))
    return view


def canonical_query(request, params):
    """The query string of a keepable address, in a fixed order without empty values (``q=a``
    and ``tag=&q=a`` are one entry), or None when it is not keepable."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    if len(raw) > MAX_QUERY:
        return None
    query = request.GET
    if not set(query) <= params or any(len(query.getlist(name)) > 1 for name in query):
        return None
    if "page" in query and not query["page"].isdigit():
        return None
    return urlencode(sorted((name, value) for name, value in query.items() if value))


def seconds():
    """How long a page is kept (``SALON_PAGE_CACHE_SECONDS``); 0 switches the cache off."""
    return settings.SALON_PAGE_CACHE_SECONDS


# The generation -----------------------------------------------------------------------------


def _new_generation():
    # Unique rather than incremented: two purges racing each other still both change it.
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def generation():
    kept = cell(GENERATION_KEY)
    value = kept.get()
    if value is None:  # first use, or evicted: a value never used before
        kept.add(_new_generation())
        value = kept.get()
    return value


def purge():
    """Make every kept page stale, now and again once the current transaction commits.

    Now: this very request, and everything in the same transaction, never meets an old page.
    After the commit: a page rendered meanwhile from what the database held before the commit
    was kept under the generation of its start, which this second change retires too.
    """
    _renew()
    transaction.on_commit(_renew)


def _renew():
    value = _new_generation()
    cell(GENERATION_KEY).set(value)
    publish.generation_changed(value)  # published files go at the same moment


# Keys and entries ---------------------------------------------------------------------------


_fingerprint = None


def settings_fingerprint():
    """The settings pages show (site name, author, languages…): a restart with other values
    must not serve pages rendered with the old ones."""
    global _fingerprint
    if _fingerprint is None:
        names = sorted(name for name in dir(settings) if name.startswith("SALON_"))
        values = repr(
            [(name, getattr(settings, name)) for name in names]
            + [settings.LANGUAGES, settings.LANGUAGE_CODE, settings.SITE_URL]
        )
        _fingerprint = hashlib.sha256(values.encode()).hexdigest()[:16]
    return _fingerprint


@receiver(setting_changed)
def _forget_fingerprint(**kwargs):
    global _fingerprint
    _fingerprint = None


def wants_json(request):
    """Whether the reader asks for JSON (``application/activity+json``, ``ld+json``…) rather
    than HTML: a view may answer an address in either (content negotiation, ``Vary: Accept``),
    so the two are kept apart. Browsers' many ``Accept`` values all mean HTML and share one
    entry."""
    return "json" in request.META.get("HTTP_ACCEPT", "")


def key_for(request, generation_value):
    """One entry per generation, settings, interface language, kind (HTML or JSON), host and
    address: everything a public page's ``Vary`` names (``Accept-Language`` and the language
    cookie make the interface language; ``Accept``; ``Accept-Encoding`` is served from the one
    entry)."""
    raw = "\n".join(
        [
            generation_value,
            settings_fingerprint(),
            request.LANGUAGE_CODE,
            "json" if wants_json(request) else "html",
            request.scheme,
            request.get_host(),
            request.path,
            request._salon_query,
        ]
    )
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def lifetime():
    """Seconds a page rendered now may be kept: the setting, but never past the next moment a
    scheduled post or page becomes public (nothing is written to the database then)."""
    from salon.blog.models import PUBLIC_STATUSES, Page, Post

    limit = seconds()
    now = timezone.now()
    for model in (Post, Page):
        upcoming = (
            model.objects.filter(status__in=PUBLIC_STATUSES, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if upcoming is not None:
            limit = min(limit, max(1, int((upcoming - now).total_seconds()) + 1))
    return limit


def next_publication():
    """The Unix time the next scheduled post or page becomes public, or None (one query: the
    scheduled rows of both tables, read through their date index, few)."""
    from django.db import connection

    from salon.blog.models import PUBLIC_STATUSES, Page, Post

    now = timezone.now()
    parts = [
        model.objects.filter(status__in=PUBLIC_STATUSES, published_at__gt=now)
        .order_by()
        .values("published_at")
        .query.sql_with_params()
        for model in (Post, Page)
    ]
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS {name}"
        for (part, _), name in zip(parts, ("posts", "pages"), strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(published_at) FROM ({sql}) AS scheduled",
            [*parts[0][1], *parts[1][1]],
        )
        (first,) = cursor.fetchone()
    if first is None:
        return None
    if isinstance(first, str):  # SQLite gives the text it stores
        first = datetime.fromisoformat(first)
    if timezone.is_naive(first):
        first = timezone.make_aware(first, UTC)
    return first.timestamp()


class Recent:
    """What this process used last, by key, each with the Unix time it expires: ``get`` gives
    ``(expires, value)`` until then, and the oldest entries go first once ``size`` are kept."""

    def __init__(self, size=256):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, expires, kept):
        with self.lock:
            self.entries[key] = (expires, kept)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


# The pages this process served last: a key holds the generation, so an entry can never be
# stale, only expired (its lifetime, kept with it, is honoured). It spares a hit the shared
# cache's read and unpickling (and the file cache's decompression).
_recent = Recent()


def remember(key, kept):
    """Keep a rendered page (``responses.Page.as_kept()``) as long as ``lifetime()`` allows;
    the lifetime, or 0 when it was not kept."""
    timeout = lifetime()
    if timeout > 0:
        expires = time.time() + timeout
        cache.set(key, (expires, kept), timeout)
        _recent.put(key, expires, kept)
    return timeout


def recall(key):
    """What ``remember`` kept, or None."""
    entry = recall_until(key)
    return None if entry is None else entry[1]


def recall_until(key):
    """What ``remember`` kept and the Unix time it expires: ``(expires, kept)``, or None."""
    entry = _recent.get(key)
    if entry is not None:
        return entry
    entry = cache.get(key)
    if entry is None or entry[0] <= time.time():
        return None
    _recent.put(key, *entry)
    return entry


def blanked(content):
    """A page's bytes with its CSRF tokens emptied: what its validator is made of."""
    return _CSRF_FIELD.sub(rb"\1\2", content)


def personal(content):
    """Whether a page holds a field made per visitor: a CSRF token (a protected post's form).

    A post's comment form holds none (``salon.conversations``), so a post's page is the same
    for every reader."""
    return b'name="csrfmiddlewaretoken"' in content


def freshened(content, request):
    """A kept page's bytes with this visitor's CSRF token put in."""
    return _CSRF_FIELD.sub(
        lambda match: match.group(1) + get_token(request).encode() + match.group(2), content
    )
