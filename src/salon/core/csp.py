"""The Content-Security-Policy of every page (django-csp), and how an app lets frames in.

The policy (``CONTENT_SECURITY_POLICY`` in settings) allows scripts and styles from the site
itself only: no inline script, no inline style, no ``eval``; ``object-src 'none'``,
``base-uri 'self'``, ``frame-ancestors 'none'``, ``form-action 'self'``. A staff page that
truly needs an inline script gives it ``nonce="{{ request.csp_nonce }}"``; public pages never
do (the page cache serves them again with another request's header, so a nonce could not
match).

Frames are refused (``frame-src 'none'``) until an app says where its frames come from:

- ``allow_frames_from(*origins)``, called from an ``AppConfig.ready()`` (the media app, for the
  providers of its click-to-load embeds), allows them on every page;
- ``allow_frames(response, *origins)`` allows them on one response.
"""

from csp.middleware import CSPMiddleware

FRAME_SRC = "frame-src"
_frame_origins = set()


def allow_frames_from(*origins):
    """Allow frames from these origins (``https://www.youtube-nocookie.com``) on every page."""
    _frame_origins.update(_checked(origins))


def allow_frames(response, *origins):
    """Allow frames from these origins on this response only; returns the response."""
    extra = getattr(response, "_salon_frame_origins", set())
    response._salon_frame_origins = extra | set(_checked(origins))
    return response


def frame_origins():
    return frozenset(_frame_origins)


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
        origins = _frame_origins | getattr(response, "_salon_frame_origins", set())
        if origins:
            parts.replace = {**(parts.replace or {}), FRAME_SRC: sorted(origins)}
        return parts
