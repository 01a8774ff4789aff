"""A database too busy to write is a moment to wait, not a server error."""

from django.db import OperationalError
from django.shortcuts import render


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
        if not isinstance(exception, OperationalError) or "locked" not in str(exception).lower():
            return None
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = "60"
        return response
