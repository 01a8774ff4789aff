"""A per-address rate limit on the cache (Redis, the file cache or memory): a fixed window.

``SALON_COMMENTS_RATE_LIMIT = "5/60"`` lets one IP address send five comments a minute; the
count lives in the cache shared by every web process, so it holds across gunicorn workers.
"""

from django.core.cache import cache

from . import conf


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request, scope="comment"):
    """Count one request; True when it is over the limit (then it should get a 429)."""
    limit = conf.rate_limit()
    if limit is None:
        return False
    key = f"salon:ratelimit:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=limit.seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the window just expired between add() and incr()
        cache.add(key, 1, timeout=limit.seconds)
        return False
    return count > limit.count
