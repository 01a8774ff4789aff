"""Fixed-window rate limits kept in the cache, for every door that needs one (comments per IP
address as ``salon.core.client_ip`` reads it, Webmentions per source host). The counts live in the cache shared by every web
process (Redis or the file cache), so a limit holds across gunicorn workers.

A limit is a setting that reads like ``"5/60"`` (five per sixty seconds); ``off`` or ``0``
switches it off.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

OFF = {"", "0", "off", "none", "no", "false"}


@dataclass(frozen=True)
class RateLimit:
    count: int
    seconds: int

    def hit(self, scope, key):
        """Count one request for ``key``; return 0 when it is allowed, otherwise the number
        of seconds until the current window ends (for ``Retry-After``)."""
        now = time.time()
        window = int(now // self.seconds)
        cache_key = f"salon:ratelimit:{scope}:{key}:{window}"
        cache.add(cache_key, 0, self.seconds + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the entry expired between add() and incr()
            cache.set(cache_key, 1, self.seconds + 1)
            count = 1
        if count <= self.count:
            return 0
        return max(1, self.seconds - int(now % self.seconds))


def parse_rate_limit(setting_name):
    """The setting ``setting_name`` as a ``RateLimit``, or None when it is switched off (its
    default is in ``salon/settings.py``, like every setting read from the environment)."""
    value = str(getattr(settings, setting_name)).strip().lower()
    if value in OFF:
        return None
    try:
        count, _, seconds = value.partition("/")
        limit = RateLimit(int(count), int(seconds or 60))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{setting_name} must read like count/seconds (5/60) or off, not {value!r}."
        ) from error
    if limit.count <= 0 or limit.seconds <= 0:
        return None
    return limit
