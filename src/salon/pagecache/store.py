"""The cache's keys, its generation, what a kept page holds, and the fields made per visitor."""

import hashlib
import html
import re
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.utils import timezone

GENERATION_KEY = "salon:pages:generation"
KEY_PREFIX = "salon:page:"
MARK = "salon_page_cache"  # the attribute cached_for_readers() sets on a view
# Headers a kept page carries; the middlewares above this one add theirs again at each hit.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "ETag", "Last-Modified")

_fresh_fields = {}  # hidden field name -> producer(request)
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def cached_for_readers(view):
    """Mark ``view``: its GET answers to anonymous readers may be kept and served again."""
    setattr(view, MARK, True)
    return view


def fresh_field(name, producer):
    """Declare a hidden field whose value differs per visitor: on each hit the value of every
    ``<input … name="NAME" value="…">`` of the kept page is replaced by ``producer(request)``."""
    _fresh_fields[name] = (
        re.compile(rb'(name="' + re.escape(name).encode() + rb'" value=")[^"]*(")'),
        producer,
    )


def seconds():
    """How long a page is kept (``SALON_PAGE_CACHE_SECONDS``); 0 switches the cache off."""
    return settings.SALON_PAGE_CACHE_SECONDS


# The generation -----------------------------------------------------------------------------


def _new_generation():
    # Unique rather than incremented: two purges racing each other still both change it.
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:  # first use, or evicted: a value never used before
        cache.add(GENERATION_KEY, _new_generation(), None)
        value = cache.get(GENERATION_KEY)
    return value


def purge():
    """Make every kept page stale, now and again once the current transaction commits.

    Now: this very request, and everything in the same transaction, never meets an old page.
    After the commit: a page rendered meanwhile from what the database held before the commit
    was kept under the generation of its start, which this second change retires too.
    """
    cache.set(GENERATION_KEY, _new_generation(), None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _new_generation(), None))


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


def key_for(request, generation_value):
    """One entry per generation, settings, interface language, host and address."""
    raw = "\n".join(
        [
            generation_value,
            settings_fingerprint(),
            request.LANGUAGE_CODE,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
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


def remember(key, response):
    """Keep a rendered page: its status, the headers the view set, its bytes."""
    timeout = lifetime()
    if timeout > 0:
        headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
        cache.set(key, (response.status_code, headers, response.content), timeout)


def recall(key):
    """``(status, headers, content)`` of a kept page, or None."""
    return cache.get(key)


def freshened(content, request):
    """A kept page's bytes with this visitor's CSRF token and fresh fields put in."""
    if b'name="csrfmiddlewaretoken"' in content:
        content = _CSRF_FIELD.sub(
            lambda match: match.group(1) + get_token(request).encode() + match.group(2), content
        )
    for pattern, producer in _fresh_fields.values():
        content = pattern.sub(
            lambda match, producer=producer: (
                match.group(1) + html.escape(str(producer(request))).encode() + match.group(2)
            ),
            content,
        )
    return content
