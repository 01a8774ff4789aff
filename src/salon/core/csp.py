"""The Content-Security-Policy of every page (django-csp), and how an app lets frames in.

The policy (``CONTENT_SECURITY_POLICY`` in settings) allows scripts and styles from the site
itself only: no inline script, no inline style, no ``eval``; ``object-src 'none'``,
``base-uri 'self'``, ``frame-ancestors 'none'``, ``form-action 'self'``. A staff page that
truly needs an inline script gives it ``nonce="{{ request.csp_nonce }}"``; public pages never
do (the page cache serves them again with another request's header, so a nonce could not
match).

Frames are refused (``frame-src 'none'``) until an app says where its frames come from:

- ``allow_frames_from(*origins)``, called from an ``AppConfig.ready()``, allows them on every
  page;
- ``allow_frames_from_source(source, marker)``, the same for origins that change with the data
  (the media app: the players of the embeds it found): ``source()`` returns them, asked only for
  an answer whose HTML holds ``marker`` (a page without embeds costs nothing) and kept in the
  cache until ``frame_origins_changed()`` (or ``SOURCE_SECONDS``);
- ``allow_frames(response, *origins)`` allows them on one response.
"""

import gzip
import logging

from csp.middleware import CSPMiddleware
from django.core.cache import cache

logger = logging.getLogger("salon.core")

FRAME_SRC = "frame-src"
SOURCE_SECONDS = 300
SOURCE_KEY = "salon:csp:frame-origins"
_frame_origins = set()
_frame_sources = []  # (source, marker)


def allow_frames_from(*origins):
    """Allow frames from these origins (``https://www.youtube-nocookie.com``) on every page."""
    _frame_origins.update(_checked(origins))


def allow_frames_from_source(source, marker):
    """Allow frames from the origins ``source()`` returns on answers whose HTML holds
    ``marker`` (bytes)."""
    if all(source is not known for known, _marker in _frame_sources):
        _frame_sources.append((source, marker))


def frame_origins_changed():
    """The sources' origins changed (an embed was found or removed): read them again."""
    cache.delete(SOURCE_KEY)


def frame_origins(content=b""):
    """The origins frames may come from on an answer holding ``content``."""
    origins = set(_frame_origins)
    if any(marker in content for _source, marker in _frame_sources):
        found = cache.get(SOURCE_KEY)
        if found is None:
            found = set()
            for source, _marker in _frame_sources:
                try:
                    found.update(_valid(source()))
                except Exception:  # a source failing must not fail the page: no frames from it
                    logger.exception("frame origins from %r", source)
            cache.set(SOURCE_KEY, found, SOURCE_SECONDS)
        origins |= found
    return origins


def _valid(origins):
    for origin in origins:
        try:
            yield from _checked([origin])
        except ValueError:
            logger.warning("not an https origin for frame-src: %r", origin)


def allow_frames(response, *origins):
    """Allow frames from these origins on this response only; returns the response."""
    extra = getattr(response, "_salon_frame_origins", set())
    response._salon_frame_origins = extra | set(_checked(origins))
    return response


def _checked(origins):
    for origin in origins:
        if not origin.startswith("https://") or any(c in origin for c in " ;,'\"\n\r"):
            raise ValueError(f"not an https origin: {origin!r}")
        yield origin.rstrip("/")


def _html_of(response):
    """The page's bytes as rendered: a page the page cache or GZipMiddleware compressed (both
    run inside this middleware) is read through its gzip."""
    if getattr(response, "streaming", False):
        return b""
    content = response.content
    if response.get("Content-Encoding", "") == "gzip" and content:
        try:
            return gzip.decompress(content)
        except (OSError, EOFError):
            return b""
    return content


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the frame origins apps declared: ``frame-src`` becomes
    exactly those origins (instead of ``'none'``) where there are any."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origins = frame_origins(_html_of(response) if _frame_sources else b"") | getattr(
            response, "_salon_frame_origins", set()
        )
        if origins:
            parts.replace = {**(parts.replace or {}), FRAME_SRC: sorted(origins)}
        return parts
