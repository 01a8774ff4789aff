"""Serving kept pages to anonymous readers, and keeping the pages they are served."""

from django.conf import settings

from salon.core import fragments

from . import publish, store
from .responses import Page, respond

HEADER = "X-Salon-Page-Cache"


class PageCacheMiddleware:
    """Last in MIDDLEWARE: it sees the request after every other middleware and the view's
    response before them, so what it keeps is the view's own answer, and a hit goes back out
    through the others (the CSRF cookie, the Webmention header, security headers).

    Every public page (a marked view, an anonymous reader) goes out through
    ``responses.respond``, cache on or off: validators and 304s, caching headers, gzip."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "_salon_public", False) or getattr(response, "_salon_kept", 0):
            return response
        if not self._keepable(request, response):
            return response
        page = Page.of(response)
        key = getattr(request, "_salon_page_key", None)
        answer = respond(request, page)
        if key is not None:
            kept = page.as_kept()
            if store.remember(key, kept):
                answer[HEADER] = "miss"
                answer._salon_kept_page = (key, page)  # for early.EarlyHitMiddleware
                publish.page_kept(request, page, request._salon_page_generation, store.generation)
        return answer

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Read before the view reads any row: the fragments rendered now are kept under it,
        # and so is the page (the generation is the first part of the fragments' key).
        current = fragments.begin(request)
        if not getattr(view_func, store.MARK, False) or not self._anonymous_reader(
            request, view_func
        ):
            return None
        request._salon_public = True
        if store.seconds() <= 0:
            return None
        request._salon_page_generation = current[0] if current else store.generation()
        key = store.key_for(request, request._salon_page_generation)
        kept = store.recall(key)
        if kept is None:
            if request.method == "GET":
                request._salon_page_key = key  # rendered now, kept on the way out
            return None
        response = respond(request, Page.from_kept(kept))
        response[HEADER] = "hit"
        response._salon_kept = True
        return response

    @staticmethod
    def _anonymous_reader(request, view_func):
        if request.method not in ("GET", "HEAD"):
            return False
        query = store.canonical_query(request, getattr(view_func, store.MARK))
        if query is None:
            return False
        request._salon_query = query
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
        if response.has_header("Content-Encoding"):
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)
