"""Kept pages the same for every reader, answered before the middleware stack runs.

A hit through ``PageCacheMiddleware`` (last in the stack) still goes through every other
middleware and the URL resolver: about a millisecond of Python per page. For a page without
per-visitor fields nothing in that stack differs from one anonymous reader to the next, so this
middleware, first in ``MIDDLEWARE``, answers such hits itself: it works out what the inner one
would (the view, from a cached resolution of the path; the interface language, as
``LocaleMiddleware`` chooses it), finds the kept page and answers with the headers the whole
stack gave it when it was rendered (security headers, the Webmention ``Link``…), which it
records on the way out of that first rendering. Pages with a CSRF token, visitors with a session
or a message, other query strings, and anything unexpected go the usual way.

What it answered is noted on the WSGI environ, so that ``salon.pagecache.wsgi`` can give the
same request the same bytes without entering Django at all next time.
"""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve
from django.utils import translation

from . import store
from .middleware import HEADER
from .responses import Page, respond
from .wsgi import ANSWERED

# Headers of the final response that are not the page's but this answer's.
_OWN = frozenset({"content-encoding", "content-length", "etag", "x-salon-page-cache"})


@lru_cache(maxsize=4096)
def _marked(path_info, urlconf):
    """The query parameters the view of ``path_info`` may be kept with, or None."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, store.MARK, None)


class EarlyHitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._early(request)
        if response is not None:
            return response
        response = self.get_response(request)
        kept = getattr(response, "_salon_kept_page", None)
        if kept is not None:
            key, page = kept
            if page.packed is not None:  # same for everyone: worth answering early
                page.final = [
                    (name, value) for name, value in response.items() if name.lower() not in _OWN
                ]
                store.remember(key, page.as_kept())
        return response

    def _early(self, request):
        if request.method not in ("GET", "HEAD") or store.seconds() <= 0:
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        params = _marked(
            request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        )
        if params is None:
            return None
        query = store.canonical_query(request, params)
        if query is None:
            return None
        try:
            request._salon_query = query
            request.LANGUAGE_CODE = translation.get_language_from_request(request)
            generation = store.generation()
            entry = store.recall_until(store.key_for(request, generation))
        except DisallowedHost:
            return None
        if entry is None:
            return None
        page = Page.from_kept(entry[1])
        if page.final is None or page.packed is None:
            return None
        page.headers = {**dict(page.final), "ETag": page.headers["ETag"]}
        response = respond(request, page)
        response[HEADER] = "hit"
        if response.status_code != 304:
            # As CommonMiddleware, below, gives a rendered page: without it a server sends the
            # page in chunks (one more write for the empty last chunk).
            response["Content-Length"] = str(len(response.content))
        # For salon.pagecache.wsgi: this answer holds while this generation and this page do.
        request.environ[ANSWERED] = (generation, entry[0])
        return response
