"""What can go wrong with a feed, in words the author understands.

A problem is stored as a code (translated when shown) and a technical detail (in English,
from the HTTP client or the parser), so the reader speaks the author's interface language.
"""

import httpx
from django.db import models
from django.utils.translation import gettext_lazy as _

from salon import net


class ErrorCode(models.TextChoices):
    TIMEOUT = "timeout", _("The server did not answer in time.")
    TOO_LARGE = "too_large", _("The feed is larger than the size Salon accepts.")
    REDIRECTS = "redirects", _("The address redirects too many times (a redirect loop?).")
    BLOCKED = "blocked", _("The address points to a private or local network.")
    NETWORK = "network", _("The server could not be reached.")
    HTTP = "http", _("The server answered with an error.")
    GONE = "gone", _("The feed is gone (HTTP 410): Salon no longer checks it.")
    HTML = "html", _("The address gives a web page, not a feed.")
    MALFORMED = "malformed", _("The feed is malformed.")
    NOT_A_FEED = "not_feed", _("The address gives something that is not a feed.")
    NO_FEED = "no_feed", _("No feed was found at this address.")
    INVALID_URL = "invalid_url", _("This is not a web address Salon can follow.")
    INTERNAL = "internal", _("Salon could not process this feed.")


class FeedProblem(Exception):
    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    @property
    def message(self):
        return ErrorCode(self.code).label


def problem_from_fetch_error(exc):
    """Map an error of ``salon.net.fetch`` to a ``FeedProblem``."""
    reason = getattr(exc, "reason", str(exc))
    if isinstance(exc, net.TooLarge):
        return FeedProblem(ErrorCode.TOO_LARGE, reason)
    if isinstance(exc, net.TooManyRedirects):
        return FeedProblem(ErrorCode.REDIRECTS, reason)
    if isinstance(exc, net.BlockedAddress):
        return FeedProblem(ErrorCode.BLOCKED, reason)
    if isinstance(exc.__cause__, httpx.TimeoutException) or "took longer" in reason:
        return FeedProblem(ErrorCode.TIMEOUT, reason)
    if "unsupported URL scheme" in reason or "has no host" in reason:
        return FeedProblem(ErrorCode.INVALID_URL, reason)
    return FeedProblem(ErrorCode.NETWORK, reason)
