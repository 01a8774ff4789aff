"""The values inside a WordPress export's elements: tags matched by namespace whatever their
scheme, text (XHTML kept as markup), integers, WordPress dates and post meta."""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone
from lxml import etree

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
WXR_NAMESPACE = re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/(\d+\.\d+)/?$")
EXCERPT_NAMESPACE = re.compile(
    r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/[\d.]+/excerpt/?$"
)
CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$")
DC_NAMESPACE = re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$")


def split_tag(tag):
    if not isinstance(tag, str):
        return None, None
    if tag[0] == "{":
        namespace, local = tag[1:].split("}", 1)
        return namespace, local
    return "", tag


KINDS = {}


def classify(tag):
    """(kind, local name) of a tag: kind is "plain", "wp", "content", "excerpt", "dc" or None.

    Cached: an export repeats the same few dozen tags millions of times."""
    try:
        return KINDS[tag]
    except (KeyError, TypeError):
        pass
    namespace, local = split_tag(tag)
    if namespace is None:
        kind = None
    elif namespace == "":
        kind = "plain"
    elif WXR_NAMESPACE.match(namespace):
        kind = "wp"
    elif local == "encoded" and (EXCERPT_NAMESPACE.match(namespace) or "excerpt" in namespace):
        kind = "excerpt"
    elif local == "encoded" and (CONTENT_NAMESPACE.match(namespace) or "content" in namespace):
        kind = "content"
    elif local == "creator" and DC_NAMESPACE.match(namespace):
        kind = "dc"
    else:
        kind = None
    if isinstance(tag, str) and len(KINDS) < 2000:
        KINDS[tag] = (kind, local)
    return kind, local


def element_text(element):
    """An element's text; markup written without CDATA (XHTML content) is kept as markup."""
    if element is None:
        return ""
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts)


def to_int(value, default=0):
    try:
        return int((value or "").strip() or default)
    except ValueError:
        return default


_WP_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*$"
)


class DateError(ValueError):
    pass


def parse_wp_date(value):
    """``2016-08-24 10:12:00`` -> naive datetime; empty or ``0000-00-00…`` -> None."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    if len(value) == 19:
        try:  # the usual "2016-08-24 10:12:00", parsed in C
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    match = _WP_DATE.match(value)
    if not match:
        raise DateError(value)
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise DateError(value) from None


def resolve_date(gmt, local, rfc822=""):
    """The aware date of an item: GMT when given, else local time in the site's zone."""
    parsed = parse_wp_date(gmt)
    if parsed is not None:
        return parsed.replace(tzinfo=UTC)
    parsed = parse_wp_date(local)
    if parsed is not None:
        return timezone.make_aware(parsed, timezone.get_current_timezone())
    if (rfc822 or "").strip():
        try:
            return parsedate_to_datetime(rfc822.strip()).astimezone(UTC)
        except (TypeError, ValueError):
            raise DateError(rfc822) from None
    return None


def meta_pair(element):
    key = value = ""
    for part in element:
        local = classify(part.tag)[1]
        if local == "meta_key":
            key = (part.text or "").strip()
        elif local == "meta_value":
            value = element_text(part)
    return key, value
