"""Small conversions from what WordPress stores to what Salon's fields accept."""

import html
import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from salon import languages
from salon.blog.sanitising import removed_markup
from salon.blog.slugs import slug_from_title
from salon.conversations.models import normalised_email, shown_content_html

from . import content as wpcontent


def language_code(value):
    """A configured language code from ``fr``, ``fr-FR``, ``fr_FR``, ``FR``… or None."""
    value = (value or "").strip().lower().replace("_", "-")
    if not value:
        return None
    if languages.is_content_language(value):
        return value
    base = value.split("-", 1)[0]
    return base if languages.is_content_language(base) else None


def language_names():
    """Every way a category may name a configured language: {folded name: code}."""
    from django.conf.locale import LANG_INFO

    names = {}
    for code in languages.content_languages():
        info = LANG_INFO.get(code, {})
        for name in (code, info.get("name", ""), info.get("name_local", "")):
            if name:
                names[slug_from_title(name)] = code
    # The names French- and English-speaking bloggers give their language categories.
    extra = {
        "anglais": "en",
        "francais": "fr",
        "englisch": "en",
        "franzosisch": "fr",
        "allemand": "de",
        "espagnol": "es",
        "italien": "it",
        "german": "de",
        "deutsch": "de",
        "spanish": "es",
        "espanol": "es",
        "italian": "it",
    }
    for name, code in extra.items():
        if languages.is_content_language(code):
            names.setdefault(name, code)
    return names


def plain_title(title):
    title = re.sub(r"</?[A-Za-z][^>]*>", "", title or "")
    return " ".join(html.unescape(title).split())


def path_of(url):
    """The path (and query) of an old address, as the redirect table keys it."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if not parts.scheme and not parts.path.startswith("/"):
        return None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return path


@lru_cache(maxsize=4096)
def clean_ip(value):
    if not value:
        return None
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def clean_url(value, max_length=500):
    value = (value or "").strip()
    if len(value) > max_length or not re.match(r"^https?://[^\s/]+", value):
        return ""
    return value


@lru_cache(maxsize=4096)
def clean_email(value):
    value = normalised_email(value)
    if len(value) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return ""
    return value


def comment_html(text):
    """A WordPress comment as its readers saw it (automatic paragraphs), as ``Response.save()``
    stores HTML given with a response (``shown_content_html``: sanitised)."""
    text = text or ""
    return shown_content_html(text, wpcontent.autop(text))


def convert_entry(entry, language_codes):
    """Everything about an entry's text that depends on the record alone: its shown body and
    title, the paragraphs marked with another language, a sample for language detection, and
    each comment's shown HTML. Pure work, so the process reading the file can do it."""
    from .records import Converted

    notes = wpcontent.ConversionNotes()
    body = wpcontent.convert(
        entry.content, post_wp_id=entry.wp_id, notes=notes, language_codes=language_codes
    )
    # What the body's allow-list will take out when the writer renders it (for the report).
    notes.removed_markup.update(removed_markup(body))
    title, title_language = languages.split_title_marker(plain_title(entry.title))
    marked, rest = wpcontent.leading_marked_paragraphs(body, languages.split_leading_marker)
    sample = (title + "\n" + wpcontent.plain_text(rest[:4000]))[:1500]
    for comment in entry.comments:
        if comment.content_html is None:
            comment.content_html = comment_html(comment.content)
    return Converted(
        body=body,
        notes=notes,
        title=title,
        title_language=title_language,
        marked_paragraphs=marked,
        rest=rest,
        sample=sample,
    )
