"""The writing page's live preview: the body as the site renders it, the river card readers of
each other language see, word count and reading time, the detected language, and warnings for
summaries that are not in the language they are for."""

import re
from datetime import datetime
from math import ceil

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Post, Series, Tag
from salon.blog.rendering import MARKDOWN, render_body

from .forms import split_tags, summary_field

WORDS_PER_MINUTE = 230
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Below this, a text says too little for its language to be told.
DETECT_MIN_CHARACTERS = 24


def count_words(html):
    return len(_WORD.findall(strip_tags(html)))


def reading_minutes(words):
    return max(1, ceil(words / WORDS_PER_MINUTE)) if words else 0


class _Rows:
    """Stands for a related manager in the card template: ``.all`` gives the rows."""

    def __init__(self, rows):
        self.rows = rows

    def all(self):
        return self.rows

    def __bool__(self):
        return bool(self.rows)


class CardPost:
    """An unsaved post with its tags and summaries, for the blog's own card template."""

    def __init__(self, post, tags, summaries):
        self._post = post
        self.tags = _Rows(tags)
        self.summaries = _Rows(summaries)
        self.other_versions = []

    def __getattr__(self, name):
        return getattr(self._post, name)

    def summary_in(self, code):
        return next((s for s in self.summaries.rows if s.language == code), None)


class _Summary:
    def __init__(self, language, text):
        self.language, self.text = language, text


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def preview(data, post=None, request=None):
    """Everything the writing page shows beside the text, from the typed fields ``data``."""
    configured = languages.content_languages()
    language = data.get("language") if data.get("language") in configured else configured[0]
    title = " ".join((data.get("title") or "").split())
    body = data.get("body") or ""
    # An imported post may keep its body in HTML: shown as the site shows it.
    body_html = render_body(
        body, post.body_format if post is not None else MARKDOWN, language=language
    )
    words = count_words(body_html)
    sample = f"{title}\n{body[:4000]}".strip()
    detected = (
        languages.detect_language(sample, default=language)
        if len(sample) >= DETECT_MIN_CHARACTERS
        else language
    )
    summaries = {
        code: " ".join((data.get(summary_field(code)) or "").split())
        for code in configured
        if code != language
    }
    published_at = post.published_at if post is not None and post.is_public else timezone.now()
    unsaved = Post(
        title=title or _("Untitled"),
        language=language,
        slug=(post.slug if post is not None and post.slug else slugify(title)) or "preview",
        published_at=published_at,
        series=Series.objects.filter(pk=_int(data.get("series"))).first(),
        series_position=_int(data.get("series_position")),
    )
    unsaved.updated_at = published_at if isinstance(published_at, datetime) else None
    tags = [Tag(name=name, slug=slugify(name) or "tag") for name in split_tags(data.get("tags"))]
    card_post = CardPost(
        unsaved, tags, [_Summary(code, text) for code, text in summaries.items() if text]
    )
    note = visibility_note(data.get("visibility"))
    cards = {
        code: note
        + render_to_string(
            "blog/includes/post_card.html",
            {"post": card_post, "river_language": code},
            request=request,
        )
        for code in summaries
    }
    return {
        "body_html": body_html,
        "words": words,
        "minutes": reading_minutes(words),
        "language": language,
        "detected": detected,
        "cards": cards,
        "warnings": summary_warnings(summaries, language),
    }


def visibility_note(visibility):
    """Said above the card preview when readers will not find the post in their river."""
    if visibility == "unlisted":
        text = _("Unlisted: no river shows this card; the post opens only by its link.")
    elif visibility == "private":
        text = _("Private: no reader sees this card or the post; only you can read it.")
    else:
        return ""
    return format_html('<p class="studio-warning">{}</p>', text)


def summary_warnings(summaries, language):
    """``{code: message}`` for each summary that seems written in another language than the
    one whose readers it is for (most often: in the post's own language)."""
    warnings = {}
    for code, text in summaries.items():
        if len(text) < DETECT_MIN_CHARACTERS:
            continue
        found = languages.detect_language(text, default=code)
        if found != code:
            warnings[code] = _(
                "This summary seems to be written in %(found)s: readers of %(language)s will "
                "see it in their river."
            ) % {
                "found": languages.language_name(found),
                "language": languages.language_name(code),
            }
    return warnings
