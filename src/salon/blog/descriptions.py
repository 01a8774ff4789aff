"""The one meta description of every page, for search engines and link previews.

A description is a ``Description(text, language)``; base.html marks it with ``lang`` when its
language is not the page's (a post's body in French on an English page, say). Rivers and any
page without its own use the site's description; tags and series say what they gather; posts and
pages use their summary in the reader's language, else their own, else their first sentences.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from salon import languages

LENGTH = 160  # about what search engines show


@dataclass(frozen=True)
class Description:
    text: str
    language: str


def _interface_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _language_names(codes):
    """Language names for a sentence, in the interface language ("French and English")."""
    names = [languages.language_name(code) for code in codes]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def site_description():
    """SALON_SITE_DESCRIPTION_<LANG> for the interface language, else SALON_SITE_DESCRIPTION,
    else a sentence naming the blog's languages."""
    language = _interface_language()
    text = settings.SALON_SITE_DESCRIPTIONS.get(language) or settings.SALON_SITE_DESCRIPTION
    if not text:
        text = _(
            "%(site)s: a blog written in %(languages)s, and the conversations around its posts."
        ) % {
            "site": settings.SALON_SITE_NAME,
            "languages": _language_names(languages.content_languages()),
        }
    return Description(text, language)


def excerpt(text, length=LENGTH):
    """Whole sentences of ``text`` (HTML or plain) up to ``length`` characters; a first sentence
    longer than that is cut at a word, with an ellipsis."""
    plain = re.sub(r"\s+", " ", html.unescape(strip_tags(text or ""))).strip()
    if len(plain) <= length:
        return plain
    sentences = re.split(r"(?<=[.!?…])\s+", plain)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > length:
            break
        kept = candidate
    if kept:
        return kept
    cut = plain[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return f"{cut}…"


def entry_description(entry):
    """A post's or a page's: its summary in the interface language, else in its own language,
    else the first sentences of its body."""
    language = _interface_language()
    summaries = {summary.language: summary.text for summary in entry.summaries.all()}
    for code in (language, entry.language):
        if summaries.get(code, "").strip():
            return Description(excerpt(summaries[code]), code)
    text = excerpt(entry.body_html) or entry.title
    return Description(text, entry.language)


def tag_description(tag):
    return Description(_("Posts tagged “%(tag)s”.") % {"tag": tag.name}, _interface_language())


def series_description(series):
    """The series' own description when it is written in the interface language, else a sentence
    saying what the page gathers."""
    language = _interface_language()
    if series.description.strip():
        if languages.detect_language(series.description) == language:
            return Description(excerpt(series.description), language)
    return Description(
        _("Posts in the series “%(series)s”, in reading order.") % {"series": series.title},
        language,
    )
