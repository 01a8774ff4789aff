"""A database too busy to write is a moment to wait, not a server error."""

from django.db import OperationalError
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from .proxies import _address, _trusted, trusted_networks

# Headers a proxy sets to say what the client asked for; believed from a trusted proxy only.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


def database_busy(error):
    """Whether ``error`` is SQLite's "database is locked": the one writer stayed busy past the
    connection's timeout. Nothing was written; the same request may succeed in a moment."""
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


class BusyDatabaseMiddleware:
    """SQLite has one writer at a time; a request that waited longer than the connection's
    timeout for it (a large import holds it for its whole transaction) gets a 503 with
    Retry-After and a page saying so, instead of a 500. The view's transaction was rolled back:
    nothing was half-written. Views that can keep what the reader typed (the comment form) catch
    the error themselves first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = "60"
        return response


class TrustedProxyMiddleware:
    """A request that does not come from one of ``SALON_TRUSTED_PROXIES`` loses its
    ``X-Forwarded-Proto``/``-Host``/``-Port`` before anything reads them: Django's
    ``SECURE_PROXY_SSL_HEADER`` (set when proxies are configured) would otherwise take anyone's
    word that the request came over https. ``X-Forwarded-For`` is left to
    ``salon.core.client_ip``, which reads it the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = trusted_networks()
        if any(name in request.META for name in FORWARDED_HEADERS):
            peer = _address(request.META.get("REMOTE_ADDR"))
            if not networks or peer is None or not _trusted(peer, networks):
                for name in FORWARDED_HEADERS:
                    request.META.pop(name, None)
        return self.get_response(request)


class NulPathMiddleware:
    """A path holding a NUL character (a scanner's ``/x%00/``) is answered 400 at once: no
    Salon address holds one, and the lookups of old and deleted addresses further down would
    ask the database for it, which PostgreSQL refuses with an error (found by the fuzzing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "Bad request: an address cannot hold a NUL character.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
