"""A real HTTP server on 127.0.0.1 serving crafted pages, for discovery, verification and
sending tests (no mocked HTTP: every request goes through ``salon.net.fetch`` and a socket)."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.cache import cache


@dataclass
class Page:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list = field(default_factory=list)  # [(name, value)], repeated names allowed


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    form: dict


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that hangs up early (the size cap does) is expected, not worth a trace."""


class Site:
    """Routes (path with query -> Page) and the requests received, thread-safe enough for tests."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path):
        return self.base + path

    def page(self, path, body=b"", **kwargs):
        self.routes[path] = Page(body=body, **kwargs)
        return self.url(path)

    def posts_to(self, path):
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
                site.requests.append(Received(method, self.path, dict(self.headers), form))
                page = site.routes.get(self.path)
                if callable(page):
                    page = page(self, form)
                if page is None:
                    page = Page(body=b"not found", status=404, content_type="text/plain")
                body = page.body.encode() if isinstance(page.body, str) else page.body
                self.send_response(page.status)
                if page.content_type:
                    self.send_header("Content-Type", page.content_type)
                for name, value in page.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(body)

            def do_GET(self):
                self._serve("GET")

            def do_HEAD(self):
                self._serve("HEAD")

            def do_POST(self):
                self._serve("POST")

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def advertising_page(endpoint, text="A page that accepts Webmentions."):
    return (
        f'<!DOCTYPE html><html><head><link rel="webmention" href="{endpoint}"></head>'
        f"<body><p>{text}</p></body></html>"
    )


@pytest.fixture
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit lives in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run at once. The root conftest sets this too, but a task module imported while
    Django starts (before that hook) can leave the database backend cached; setting it through
    the ``settings`` fixture sends ``setting_changed``, which makes django-tasks start afresh."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
