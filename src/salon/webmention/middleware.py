from django.shortcuts import render
from django.urls import reverse

from . import conf


class WebmentionMiddleware:
    """Advertise the endpoint on every HTML page, and answer deleted posts with 410 Gone.

    - ``Link: <…/webmention/>; rel="webmention"`` is added to every HTML response (added to
      any ``Link`` header already there), so senders that read only headers find it;
    - a 404 at the address of a deleted post becomes a 410 Gone page, which tells Webmention
      receivers (and search engines) to drop it. Looked up only after a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            response = self._gone(request) or response
        content_type = response.get("Content-Type", "")
        if content_type.startswith(("text/html", "application/xhtml+xml")):
            link = f'<{conf.site_url()}{reverse("webmention:endpoint")}>; rel="webmention"'
            existing = response.get("Link")
            response["Link"] = f"{existing}, {link}" if existing else link
        return response

    def _gone(self, request):
        from .models import DeletedPost

        tombstone = DeletedPost.objects.filter(path=request.path).first()
        if tombstone is None:
            return None
        return render(request, "webmention/gone.html", {"tombstone": tombstone}, status=410)
