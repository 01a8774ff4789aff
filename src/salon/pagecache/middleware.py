"""Serving kept pages to anonymous readers, and keeping the pages they are served."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from salon.core import fragments

from . import store

HEADER = "X-Salon-Page-Cache"
# Only the plain address, or a page of a river: any other query string is someone's own
# (a notice after commenting, a tracking parameter) and is not worth a cache entry.
_CACHEABLE_QUERY = re.compile(r"^(page=\d{1,6})?$")


class PageCacheMiddleware:
    """Last in MIDDLEWARE: it sees the request after every other middleware and the view's
    response before them, so what it keeps is the view's own answer, and a hit goes back out
    through the others (the CSRF cookie, the Webmention header, security headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_salon_page_key", None)
        if key is not None and self._keepable(request, response):
            store.remember(key, response)
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Read before the view reads any row: the fragments rendered now are kept under it.
        fragments.begin(request)
        if not getattr(view_func, store.MARK, False) or not self._anonymous_reader(request):
            return None
        key = store.key_for(request, request._salon_generation[0])
        kept = store.recall(key)
        if kept is None:
            if request.method == "GET":
                request._salon_page_key = key  # rendered now, kept on the way out
            return None
        status, headers, content = kept
        response = HttpResponse(store.freshened(content, request), status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        if response.has_header("ETag") or response.has_header("Last-Modified"):
            # A feed reader asking "changed since?" gets its 304 from the kept validators.
            last_modified = response.get("Last-Modified")
            response = get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(last_modified) if last_modified else None,
                response=response,
            )
        return response

    @staticmethod
    def _anonymous_reader(request):
        if store.seconds() <= 0 or request.method not in ("GET", "HEAD"):
            return False
        if not _CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", "")):
            return False
        # A session (a signed-in author, a reader who unlocked a post) or a pending message
        # may change the page: such visitors get it rendered for them.
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _keepable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)
