"""Webmention and author-identity settings, read through one place with their defaults.

Each is set from an environment variable in ``salon/settings.py``, which holds its default (the
one place a default is written), and documented in the README; reading them here (not at import
time) lets tests override them with ``settings``. The constants below are not settings.
"""

from urllib.parse import urlsplit

from django.conf import settings

from salon.core import identity
from salon.core.ratelimit import parse_rate_limit


def site_url():
    return settings.SITE_URL.rstrip("/")


def home_url():
    return site_url() + "/"


def site_netloc():
    return urlsplit(site_url()).netloc.lower()


def author():
    """Who writes this blog, for the h-card on every page and in every post (one definition,
    shared with the responses the author signs: ``salon.core.identity``)."""
    return identity.author()


def rate_limit():
    """``SALON_WEBMENTION_RATE_LIMIT`` as a ``RateLimit``, or None when off.

    Reads like ``"20/60"``: twenty Webmentions per source host per sixty seconds.
    """
    return parse_rate_limit("SALON_WEBMENTION_RATE_LIMIT")


# Fetching limits, from the issue: a source or a target page is read with these.
FETCH_TIMEOUT = 10.0
FETCH_MAX_BYTES = 1_000_000
FETCH_MAX_REDIRECTS = 5

# Sending: how many attempts a delivery gets, and how long to wait before each retry.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600)

# A post created with a publication date older than this is an import or a backdated entry:
# it is not announced (the admin action "Send Webmentions" does it on request).
ANNOUNCE_MAX_AGE_DAYS = 2
