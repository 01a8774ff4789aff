"""What a public page says on the wire: validators, caching headers, compression.

Every page a marked view answers to an anonymous reader goes out the same way, whether it was
rendered now or kept (the page cache on or off):

- an ``ETag`` (the view's own, as feeds set, else a hash of the page as rendered for everyone),
  and a 304 to a reader whose copy is current;
- ``Cache-Control: public, max-age=0, stale-while-revalidate=60`` unless the view said
  otherwise: a browser or a shared cache asks again every time (an edit shows at once, the
  cache here answers in microseconds, a 304 costs nothing), but may show its copy while it asks
  for a minute after it went stale, so a boost behind a CDN never waits on the site;
- gzip when the reader accepts it.

Compression and BREACH: BREACH reads a secret out of compressed pages that also reflect the
attacker's input. A page the same for every anonymous reader holds no secret beside what it
reflects (a search shows its query, a river its page number): it is compressed once, when kept,
and the same bytes go to every reader.
A page with a per-visitor field (a CSRF token: a protected post's form) is compressed at
each hit after it is put in, with Django's random padding of the gzip header (the "Heal the
Breach" length randomisation, as ``GZipMiddleware`` does), on top of Django's per-response
masking of the CSRF token, which already makes the token differ in every response. Other
responses (signed-in pages, the admin) go through ``GZipMiddleware`` with the same
padding.
"""

import gzip
import hashlib
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.text import compress_string

from . import store

CACHE_CONTROL = "public, max-age=0, stale-while-revalidate=60"
# Headers a kept page carries; the middlewares above this one add theirs again at each hit.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Link",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
)
# Whether a reader takes gzip (salon.pagecache.wsgi reads it the same way).
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Below this, gzip's own header eats the gain.
_MIN_COMPRESSED = 200


class Page:
    """A public page as kept: status, headers, the bytes as rendered, whether they are the same
    for every reader, and then their gzip form.

    The gzip form is made at its first use (a reader who accepts gzip, the page kept or
    published), once: a page rendered for a reader who does not accept it, with the cache off,
    is never compressed for nothing (a feed's compression costs about as much as a river's
    whole SQL)."""

    __slots__ = ("status", "headers", "content", "shared", "_packed", "final")

    def __init__(self, status, headers, content, shared, packed=None, final=None):
        self.status, self.headers, self.content = status, headers, content
        self.shared, self._packed = shared, packed
        # The headers the whole middleware stack gave the page (security headers, Link…), for
        # ``early.EarlyHitMiddleware`` to answer without running it again; None until known.
        self.final = final

    @classmethod
    def of(cls, response):
        """The page a view answered, with its validator and caching headers."""
        content = response.content
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        if not response.has_header("ETag"):
            digest = hashlib.sha256(store.blanked(content)).hexdigest()[:32]
            headers["ETag"] = f'"{digest}"'
        headers.setdefault("Cache-Control", CACHE_CONTROL)
        return cls(response.status_code, headers, content, shared=not store.personal(content))

    @property
    def packed(self):
        """The gzip form of a page the same for every reader (None for a personal or a tiny
        page), made once."""
        if self._packed is None and self.shared and len(self.content) >= _MIN_COMPRESSED:
            self._packed = gzip.compress(self.content, compresslevel=6, mtime=0)
        return self._packed

    def as_kept(self):
        return (self.status, list(self.headers.items()), self.content, self.packed, self.final)

    @classmethod
    def from_kept(cls, kept):
        status, headers, content, packed, final = kept
        shared = packed is not None or not store.personal(content)
        return cls(status, dict(headers), content, shared, packed, final)

    @property
    def personal(self):
        return not self.shared


def respond(request, page):
    """The response to ``request`` for ``page``: a 304 when the reader's copy is current, else
    the page (compressed when accepted) with this visitor's fields put in."""
    response = HttpResponse(status=page.status)
    for name, value in page.headers.items():
        response[name] = value
    # The interface language comes from the language cookie, else Accept-Language.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    personal = page.personal
    # A reader's copy of a page with a form holds a CSRF token made for their cookie: it is
    # still good only while they have that cookie.
    if page.status == 200 and (not personal or settings.CSRF_COOKIE_NAME in request.COOKIES):
        last_modified = page.headers.get("Last-Modified")
        not_modified = get_conditional_response(
            request,
            etag=page.headers.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
        if not_modified is not response:
            return not_modified
    content = store.freshened(page.content, request) if personal else page.content
    if len(content) < _MIN_COMPRESSED:
        response.content = content
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = content
        return response
    response.content = page.packed if page.packed is not None else _padded_gzip(content)
    response["Content-Encoding"] = "gzip"
    # The compressed bytes are another representation of the same page: a weak validator.
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        response["ETag"] = "W/" + etag
    return response


def _padded_gzip(content):
    return compress_string(content, max_random_bytes=100)
