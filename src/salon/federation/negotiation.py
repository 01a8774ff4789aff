"""Content negotiation: does a request want ActivityPub JSON or the HTML page?"""

from django.http import JsonResponse
from django.utils.cache import patch_vary_headers

from . import conf

_AP_TYPES = ("application/activity+json", "application/ld+json")


def _accepted(header):
    """``[(media type, q, position)]`` of an ``Accept`` header."""
    found = []
    for position, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            found.append((media, q, position))
    return found


def wants_activitypub(request):
    """True when the client prefers ``application/activity+json`` or ``application/ld+json``
    to HTML (a browser's ``*/*`` never counts; a tie goes to the type listed first)."""
    accepted = _accepted(request.META.get("HTTP_ACCEPT"))
    best_ap = max(
        ((q, -pos) for media, q, pos in accepted if media in _AP_TYPES and q > 0), default=None
    )
    if best_ap is None:
        return False
    best_html = max(
        (
            (q, -pos)
            for media, q, pos in accepted
            if media in ("text/html", "application/xhtml+xml")
        ),
        default=None,
    )
    return best_html is None or best_ap > best_html


def activity_json(document, status=200):
    response = JsonResponse(
        document,
        status=status,
        content_type=conf.AP_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    patch_vary_headers(response, ["Accept"])
    return response
