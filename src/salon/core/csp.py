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
- ``allow_frames_from_source(source)``, the same for origins that change with the data:
  ``source()`` returns them (the media app: the players of the embeds it checked), asked at
  most once every ``SOURCE_SECONDS`` per process, so a kept page is still served without the
  database;
- ``allow_frames(response, *origins)`` allows them on one response.
"""

import logging
import time

from csp.middleware import CSPMiddleware

logger = logging.getLogger("salon.core")

FRAME_SRC = "frame-src"
SOURCE_SECONDS = 60
_frame_origins = set()
_frame_sources = []
_from_sources = {"at": None, "origins": frozenset()}


def allow_frames_from(*origins):
    """Allow frames from these origins (``https://www.youtube-nocookie.com``) on every page."""
    _frame_origins.update(_checked(origins))


def allow_frames(response, *origins):
    """Allow frames from these origins on this response only; returns the response."""
    extra = getattr(response, "_salon_frame_origins", set())
    response._salon_frame_origins = extra | set(_checked(origins))
    return response


def allow_frames_from_source(source):
    """Allow frames from the origins ``source()`` returns (re-read every ``SOURCE_SECONDS``)."""
    if source not in _frame_sources:
        _frame_sources.append(source)
        _from_sources["at"] = None


def frame_origins():
    """Every origin frames may come from on any page: declared ones and the sources'."""
    now = time.monotonic()
    if _frame_sources and (
        _from_sources["at"] is None or now - _from_sources["at"] > SOURCE_SECONDS
    ):
        found = set()
        for source in _frame_sources:
            try:
                found.update(_valid(source()))
            except Exception:  # a source failing must not fail the page: no frames from it
                logger.exception("frame origins from %r", source)
        _from_sources.update(at=now, origins=frozenset(found))
    return frozenset(_frame_origins) | _from_sources["origins"]


def _valid(origins):
    for origin in origins:
        try:
            yield from _checked([origin])
        except ValueError:
            logger.warning("not an https origin for frame-src: %r", origin)


def _checked(origins):
    for origin in origins:
        if not origin.startswith("https://") or any(c in origin for c in " ;,'\"\n\r"):
            raise ValueError(f"not an https origin: {origin!r}")
        yield origin.rstrip("/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the frame origins apps declared: ``frame-src`` becomes
    exactly those origins (instead of ``'none'``) where there are any."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origins = frame_origins() | getattr(response, "_salon_frame_origins", set())
        if origins:
            parts.replace = {**(parts.replace or {}), FRAME_SRC: sorted(origins)}
        return parts
