"""Federation settings, read through one place (defaults live in ``salon/settings.py``).

The handle: ``SALON_FEDIVERSE_HANDLE`` is ``user`` or ``user@host`` (a leading ``@`` is
dropped). Without it the user part is made from the author's name (``SALON_AUTHOR_NAME``,
itself the site name by default), folded to ASCII letters, digits and ``_``, and the host is
the site's. The constants below are not settings.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from salon.core import identity
from salon.core.ratelimit import parse_rate_limit

AP_CONTENT_TYPE = "application/activity+json"
LD_CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"

# The inbox refuses bodies over this many bytes, and JSON nested deeper than this.
MAX_INBOX_BYTES = 1_000_000
MAX_JSON_DEPTH = 32
# Fetching a remote actor, key or object.
FETCH_TIMEOUT = 10.0
FETCH_MAX_BYTES = 1_000_000
# A delivery's answer is not read beyond this.
DELIVERY_TIMEOUT = 15.0
DELIVERY_MAX_BYTES = 100_000
# Mastodon's window for the Date header of a signed request: 12 hours back, 1 hour ahead.
DATE_WINDOW_PAST = 12 * 3600
DATE_WINDOW_FUTURE = 3600
# A remote actor's cached document is read again after this many seconds.
ACTOR_REFRESH_SECONDS = 3 * 24 * 3600
# An inbox that failed this many deliveries in a row, over at least this long, is skipped.
FAILING_INBOX_FAILURES = 8
FAILING_INBOX_SECONDS = 24 * 3600
# A post first seen with a publication date older than this is an import or a backdated entry:
# it is recorded as known (later edits are Updates) but never announced as new.
ANNOUNCE_MAX_AGE_DAYS = 2
# Received activities are kept this many days once processed (for diagnosis), then deleted.
RECEIVED_RETENTION_DAYS = 30
# Items per page of the outbox.
OUTBOX_PAGE_SIZE = 20

_USER_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")


def site_url():
    return settings.SITE_URL.rstrip("/")


def site_host():
    return urlsplit(site_url()).netloc.lower()


def absolute(path):
    return site_url() + path


def author():
    return identity.author()


def _default_user():
    folded = unicodedata.normalize("NFKD", author().name).encode("ascii", "ignore").decode()
    user = re.sub(r"[^A-Za-z0-9_]+", "_", folded).strip("_").lower()
    return user[:30] or "blog"


def handle():
    """``(user, host)`` of the author's fediverse address, ``@user@host``."""
    value = settings.SALON_FEDIVERSE_HANDLE.strip().lstrip("@")
    if not value:
        return _default_user(), urlsplit(site_url()).hostname or "localhost"
    user, _, host = value.partition("@")
    if not _USER_RE.match(user) or (host and not re.match(r"^[A-Za-z0-9.:-]+$", host)):
        raise ImproperlyConfigured(
            f"SALON_FEDIVERSE_HANDLE must read like name or name@host, not {value!r}."
        )
    return user, (host or urlsplit(site_url()).hostname or "localhost").lower()


def handle_text():
    user, host = handle()
    return f"@{user}@{host}"


def also_known_as():
    return [url for url in settings.SALON_FEDIVERSE_ALSO_KNOWN_AS if url.startswith("http")]


def rate_limit():
    """``SALON_FEDERATION_RATE_LIMIT`` (activities per remote server) or None when off."""
    return parse_rate_limit("SALON_FEDERATION_RATE_LIMIT")


def concurrency():
    return max(1, int(settings.SALON_FEDERATION_CONCURRENCY))
