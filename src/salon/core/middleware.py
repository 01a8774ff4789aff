"""A database too busy to write is a moment to wait, not a server error."""

from django.db import OperationalError
from django.shortcuts import render


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
