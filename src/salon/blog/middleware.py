from django.http import HttpResponsePermanentRedirect

from .models import Redirect


class OldUrlRedirectMiddleware:
    """Answer a 404 with a 301 when the address is a known old one (e.g. a WordPress permalink).

    Looked up only after a 404, so normal pages pay nothing for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        candidates = [request.get_full_path(), request.path]
        if not request.path.endswith("/"):
            candidates.append(request.path + "/")
        redirect = (
            Redirect.objects.select_related("post", "page")
            .filter(old_path__in=candidates)
            .first()
        )
        if redirect is None:
            return response
        target = redirect.target()
        if not target or target == request.get_full_path():
            return response
        return HttpResponsePermanentRedirect(target)
