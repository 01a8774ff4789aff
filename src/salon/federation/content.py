"""What a fediverse object says, read tolerantly and cleaned: its HTML through the comments'
sanitiser, its language (from ``contentMap`` or ``content``'s detected language), its
address, and its attachments as links with their alt text."""

import html
import re
from urllib.parse import urlsplit

from salon import languages
from salon.conversations.text import clean_html, strip_tags

from . import remote

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_ATTACHMENTS = 8


def _text(value):
    return value if isinstance(value, str) else ""


def _content(obj):
    """``(html, language)``: ``content``, else the first ``contentMap`` value; the language
    is the ``contentMap`` key holding that text, when there is one."""
    content = _text(obj.get("content"))
    content_map = obj.get("contentMap") if isinstance(obj.get("contentMap"), dict) else {}
    entries = [(k, v) for k, v in content_map.items() if isinstance(k, str) and isinstance(v, str)]
    language = ""
    if content:
        language = next((k for k, v in entries if v == content), "")
    elif entries:
        language, content = entries[0]
    if not content and obj.get("name"):
        content = html.escape(_text(obj.get("name")))
    if not content and isinstance(obj.get("source"), dict):
        content = html.escape(_text(obj["source"].get("content")))
    return content, language


def _attachments(obj):
    items = obj.get("attachment")
    items = items if isinstance(items, list) else [items] if isinstance(items, dict) else []
    found = []
    for item in items[:MAX_ATTACHMENTS]:
        if not isinstance(item, dict):
            continue
        address = remote.id_of(item.get("url")) or remote.id_of(item.get("href"))
        if not remote.is_http_url(address):
            continue
        alt = _text(item.get("name")) or _text(item.get("summary"))
        found.append({"url": address, "alt": alt[:500], "type": _text(item.get("mediaType"))[:100]})
    return found


def _address(obj):
    """Where the object is shown: its ``url`` when on its own server (a ``url`` elsewhere
    would borrow another domain's standing in moderation), else its id."""
    own = remote.id_of(obj.get("id"))
    for candidate in remote.ids_of(obj.get("url")):
        if remote.is_http_url(candidate) and urlsplit(candidate).netloc == urlsplit(own).netloc:
            return candidate
    return own if remote.is_http_url(own) else ""


def record_of(obj):
    """``{"html", "language", "url", "attachments"}`` of an object (a Note, Article…)."""
    content, language = _content(obj)
    attachments = _attachments(obj)
    links = "".join(
        f'<p><a href="{html.escape(a["url"])}">{html.escape(a["alt"] or a["url"])}</a></p>'
        for a in attachments
    )
    summary = _text(obj.get("summary"))
    if summary and "Article" not in remote.types_of(obj):
        content = f"<p>{html.escape(strip_tags(summary))}</p>{content}"
    cleaned = clean_html(content + links) if content or links else ""
    language = language if _LANGUAGE.match(language or "") else ""
    if not language and cleaned:
        plain = strip_tags(cleaned)
        language = languages.detect_language(plain, default="") or ""
    return {
        "html": cleaned,
        "language": language.lower()[:12],
        "url": _address(obj),
        "attachments": attachments,
    }
