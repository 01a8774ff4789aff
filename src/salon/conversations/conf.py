"""The conversations settings, read through one place with their defaults.

Each is set from an environment variable in ``salon/settings.py``, which holds its default (the
one place a default is written), and documented in the README; reading them here (rather than at
import time) lets tests override them with ``settings``. ``SALON_COMMENTS_MAX_LENGTH`` is not
read from the environment: its default is here.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from salon.core.ratelimit import parse_rate_limit

MODERATION_FIRST_TIME = "first-time"  # hold a first comment, publish known authors at once
MODERATION_ALL = "all"  # hold every comment
MODERATION_NONE = "none"  # publish every comment that passes the spam checks
MODERATION_MODES = (MODERATION_FIRST_TIME, MODERATION_ALL, MODERATION_NONE)


def moderation_mode():
    mode = (settings.SALON_COMMENTS_MODERATION or MODERATION_FIRST_TIME).strip().lower()
    if mode not in MODERATION_MODES:
        raise ImproperlyConfigured(
            f"SALON_COMMENTS_MODERATION must be one of {', '.join(MODERATION_MODES)}, not {mode!r}."
        )
    return mode


def max_depth():
    """How deep a thread may go: 1 allows no replies, 5 (the default) five levels."""
    return max(1, int(settings.SALON_COMMENTS_MAX_DEPTH))


def max_length():
    return int(getattr(settings, "SALON_COMMENTS_MAX_LENGTH", 10_000))  # not an environment one


def max_links():
    """A comment with more links than this waits for approval whatever the moderation mode."""
    return int(settings.SALON_COMMENTS_MAX_LINKS)


def min_seconds():
    """The least time between showing the form and sending it; faster is a robot."""
    return float(settings.SALON_COMMENTS_MIN_SECONDS)


def min_seconds_again():
    """The least time before sending the "send it again" page's form: pressing its button is
    all there is left to do, and a robot answers in milliseconds."""
    return min(1.0, min_seconds())


def rate_limit():
    """``SALON_COMMENTS_RATE_LIMIT`` as a ``RateLimit``, or None when off.

    The setting reads ``"5/60"`` (five comments per IP address per 60 seconds); ``off`` or
    ``0`` switches the limit off (the load bench does).
    """
    return parse_rate_limit("SALON_COMMENTS_RATE_LIMIT")


def spam_retention_days():
    return int(settings.SALON_SPAM_RETENTION_DAYS)


def author_email():
    return (settings.SALON_AUTHOR_EMAIL or "").strip()


def author_language():
    """The language of the mail the author receives: ``SALON_AUTHOR_LANGUAGE`` when the
    interface speaks it, else the first content language it speaks, else its default."""
    interface = {code for code, _name in settings.LANGUAGES}
    chosen = settings.SALON_AUTHOR_LANGUAGE.strip().lower()
    if chosen in interface:
        return chosen
    for code in settings.SALON_LANGUAGES:
        if code in interface:
            return code
    return settings.LANGUAGE_CODE
