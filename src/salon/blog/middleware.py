import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .models import Redirect

# WordPress serves a feed under most addresses: <address>feed/, feed/atom/, feed/rss2/…
_OLD_FEED = re.compile(r"^(?P<base>/.*/)feed/(?P<format>atom/|rss2/|rss/|rdf/)?$")


class OldUrlRedirectMiddleware:
    """Answer a 404 with a 301 when the address is a known old one (e.g. a WordPress permalink).

    Looked up only after a 404, so normal pages pay nothing for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # WordPress's query-string addresses (/?p=123, /?page_id=7) answer 200 here (they are the
    # home page with a query), so they are looked up before the view rather than after a 404.
    WORDPRESS_ID_PARAMETERS = ("p", "page_id", "attachment_id", "cat", "tag")

    # WordPress's feeds by query string (/?feed=rss2, the address of every feed of a blog with
    # plain permalinks): readers subscribed to them keep receiving the posts.
    WORDPRESS_FEEDS = {
        "rss2": "feeds:posts-rss",
        "rss": "feeds:posts-rss",
        "rdf": "feeds:posts-rss",
        "feed": "feeds:posts-rss",
        "atom": "feeds:posts-atom",
        "comments-rss2": "feeds:comments-rss",
        "comments-atom": "feeds:comments-atom",
    }

    def __call__(self, request):
        if request.path == "/" and any(
            name in request.GET for name in self.WORDPRESS_ID_PARAMETERS
        ):
            redirect = self._redirect_for(request)
            if redirect is not None:
                return redirect
        if request.path == "/" and request.GET.get("feed") in self.WORDPRESS_FEEDS:
            return HttpResponsePermanentRedirect(reverse(self.WORDPRESS_FEEDS[request.GET["feed"]]))
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return self._redirect_for(request) or response

    def _redirect_for(self, request):
        candidates = [request.get_full_path(), request.path]
        if not request.path.endswith("/"):
            candidates.append(request.path + "/")
        target = self._target(candidates)
        if target is None:
            # An old address's feed (/category/x/feed/, /2019/05/slug/feed/atom/): the feed
            # of what that address became, when it has one (a tag, a post's comments).
            feed = _OLD_FEED.match(request.path)
            if feed is not None:
                base = self._target([feed.group("base")])
                if base is not None and base.endswith("/") and not base.startswith("/?"):
                    target = base + ("feed/atom/" if feed.group("format") == "atom/" else "feed/")
        if not target or target == request.get_full_path():
            return None
        return HttpResponsePermanentRedirect(target)

    @staticmethod
    def _target(paths):
        redirect = (
            Redirect.objects.select_related("post", "page").filter(old_path__in=paths).first()
        )
        return redirect.target() if redirect is not None else None
