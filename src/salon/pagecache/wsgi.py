"""Kept pages answered before Django's handler, with the bytes Django answered the same request.

``early.EarlyHitMiddleware`` answers a kept page before the middleware stack, but such a hit
still pays for Django's handler around it: a request object, the ``request_started`` and
``request_finished`` signals and their receivers, a response whose every header is checked
again. Under gunicorn that doubled the CPU of a hit next to a hello-world application
(bench/README.md), while a boost sends thousands of readers who ask the same pages with the
same few headers.

So the WSGI application (``salon.wsgi``) is wrapped by ``KeptPagesFirst``. For each request it
makes a *signature*: every part of the request the early answer reads (method, address, query
string, host and scheme with the proxy headers that may change them, the language cookie and
``Accept-Language`` that choose the interface language, whether ``Accept`` asks for JSON,
whether ``Accept-Encoding`` takes gzip). When Django answered a request early, the answer is
remembered under its signature, with the generation and the expiry of the kept page it came
from. The same signature again, while that generation is the current one and the page has not
expired, gets the same status, headers and bytes without entering Django. Anything else goes
through Django as before: a conditional request (its 304 depends on the reader's validator),
a session or a message cookie, a request Django did not answer early.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, parse_cookie

from . import store
from .responses import ACCEPTS_GZIP

# Set on the WSGI environ by EarlyHitMiddleware when it answered: (generation, expires).
ANSWERED = "salon.pagecache.answered"

# Request headers that make the answer depend on the reader's own copy.
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)
# What a trusted proxy may say about the client; TrustedProxyMiddleware believes it or not
# according to the peer's address, which then belongs in the signature too.
_FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


def signature(environ):
    """Everything the early answer to ``environ`` depends on, or None when it may depend on
    more (a conditional request, a session or a pending message) or cannot be one."""
    # (The WSGI environ's request values, not the process's environment variables.)
    read = environ.get
    method = read("REQUEST_METHOD")
    if method not in ("GET", "HEAD"):
        return None
    if any(name in environ for name in _CONDITIONAL):
        return None
    language_cookie = None
    raw_cookies = read("HTTP_COOKIE")
    if raw_cookies:
        cookies = parse_cookie(raw_cookies)
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        language_cookie = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    forwarded = tuple(read(name) for name in _FORWARDED)
    return (
        method,
        read("PATH_INFO"),
        read("SCRIPT_NAME"),
        read("SCRIPT_URL"),
        read("REDIRECT_URL"),
        read("QUERY_STRING"),
        read("wsgi.url_scheme"),
        read("HTTP_HOST"),
        read("SERVER_NAME"),
        read("SERVER_PORT"),
        forwarded,
        read("REMOTE_ADDR") if any(forwarded) else None,
        language_cookie,
        read("HTTP_ACCEPT_LANGUAGE"),
        "json" in read("HTTP_ACCEPT", ""),
        ACCEPTS_GZIP.search(read("HTTP_ACCEPT_ENCODING", "")) is not None,
    )


# The last answers given early, by signature, until their page expires.
_answers = store.Recent(size=512)


@receiver(setting_changed)
def _forget_answers(**kwargs):
    _answers.clear()


class KeptPagesFirst:
    """A WSGI application: ``application`` (Django's), with kept pages answered first."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = signature(environ)
        if key is None:
            return self.application(environ, start_response)
        entry = _answers.get(key)
        if entry is not None:
            generation, status, headers, body = entry[1]
            # (Recorded only while the page cache is on; a change of settings forgets them.)
            if store.generation() == generation:
                start_response(status, list(headers))
                return [body]
        sent = []

        def recording(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.application(environ, recording)
        answered = environ.get(ANSWERED)
        if answered is not None and type(result) is HttpResponse and sent:
            status, headers = sent
            if not any(name.lower() == "set-cookie" for name, _ in headers):
                generation, expires = answered
                _answers.put(key, expires, (generation, status, tuple(headers), result.content))
        return result
