from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from . import views
from .negotiation import wants_activitypub


class ActivityPubMiddleware:
    """Post permalinks answer ActivityPub clients with the post's ``Article`` (or 410 and a
    ``Tombstone`` once deleted), and say ``Vary: Accept`` to everyone.

    It sits above the page cache (``PageCacheMiddleware``): an ActivityPub request is answered
    here and never reaches the cache, so a kept HTML page is never served to an ActivityPub
    client and no JSON is ever kept for a browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        is_post = match is not None and match.view_name == "blog:post"
        if request.method in ("GET", "HEAD") and wants_activitypub(request):
            if is_post:
                return views.post_object(request, **match.kwargs)
            gone = views.tombstone_at(request.path)
            if gone is not None:
                return gone
        response = self.get_response(request)
        if is_post:
            patch_vary_headers(response, ["Accept"])
        return response
