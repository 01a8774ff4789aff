"""The comment form's per-address rate limit (a fixed window, see salon.core.ratelimit).

``SALON_COMMENTS_RATE_LIMIT = "5/60"`` lets one IP address send five comments a minute; the
count lives in the cache shared by every web process, so it holds across gunicorn workers.
"""

from . import conf


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request, scope="comment"):
    """Count one request; True when it is over the limit (then it should get a 429)."""
    limit = conf.rate_limit()
    if limit is None:
        return False
    return limit.hit(scope, client_ip(request)) > 0
