"""A real HTTP server on 127.0.0.1, in a thread, for the reader's tests.

Routes map a path to a function that receives the request handler and answers it, so a test
can serve a feed file, a redirect loop, a server that never answers or an endless body, and
look at the requests Salon made (their headers, how many ran at once).
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).parent / "feeds"


def sample(name):
    return (FEEDS / name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # a body without Content-Length ends when the socket closes

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        server = self.server.owner
        path = self.path.split("?", 1)[0]
        with server.lock:
            server.requests.append((path, dict(self.headers.items())))
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        self._in_flight = True
        try:
            route = server.routes.get(path)
            if route is None:
                self.answer(404, b"not found", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self._done()

    def _done(self):
        """The request stops counting as in flight once its answer starts: a client that has
        read the answer may send its next request before this handler has returned, and that
        request must not count as one more at once."""
        if getattr(self, "_in_flight", False):
            self._in_flight = False
            with self.server.owner.lock:
                self.server.owner.in_flight -= 1

    def answer(self, status, body=b"", content_type="application/xml", headers=None, length=True):
        self._done()
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path):
        return self.base + path

    def hits(self, path):
        return [headers for requested, headers in self.requests if requested == path]

    # Routes -----------------------------------------------------------------------------

    def serve(
        self, path, body, content_type="application/rss+xml", status=200, headers=None, delay=0.0
    ):
        """Answer ``path`` with ``body`` (bytes, or a callable returning bytes)."""

        def route(handler):
            if delay:
                time.sleep(delay)
            payload = body() if callable(body) else body
            handler.answer(status, payload, content_type, headers)

        self.routes[path] = route

    def serve_conditional(
        self,
        path,
        body,
        content_type="application/rss+xml",
        etag='"v1"',
        last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
    ):
        """Answer 304 when the request carries the current ETag or Last-Modified."""

        def route(handler):
            payload = body() if callable(body) else body
            current_etag = etag() if callable(etag) else etag
            if (
                handler.headers.get("If-None-Match") == current_etag
                or handler.headers.get("If-Modified-Since") == last_modified
            ):
                handler.answer(304, b"", None, {"ETag": current_etag}, length=False)
                return
            handler.answer(
                200, payload, content_type, {"ETag": current_etag, "Last-Modified": last_modified}
            )

        self.routes[path] = route

    def redirect(self, path, to, status=301):
        def route(handler):
            handler.answer(status, b"", "text/plain", {"Location": to})

        self.routes[path] = route

    def never_answer(self, path):
        def route(handler):
            self.stopping.wait(30)

        self.routes[path] = route

    def endless(self, path, chunk=64 * 1024, limit=64 * 1024 * 1024, declared=None):
        """Stream a body far larger than any cap (stopping at ``limit`` as a safety net)."""

        def route(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            if declared:
                handler.send_header("Content-Length", str(declared))
            handler.end_headers()
            handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            block = b"<!-- " + b"x" * (chunk - 9) + b" -->"
            sent = 0
            while sent < limit and not self.stopping.is_set():
                handler.wfile.write(block)
                sent += len(block)
            self.endless_sent = sent

        self.endless_sent = 0
        self.routes[path] = route
