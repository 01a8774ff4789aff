"""From what a commenter typed (or a peer sent) to the HTML shown under a post.

Comments are plain text: paragraphs, line breaks and links written as bare URLs. Nothing a
reader types is ever taken as HTML; it is escaped first, then the few tags we produce ourselves
are the only ones nh3 lets through. HTML that arrives from elsewhere (imported WordPress
comments, a Webmention's content) is cleaned by nh3 with a short allowlist. The thread cleans
again at display time, so a row written by any other door cannot put live markup on the page.
"""

import re
import threading
from collections import OrderedDict

import nh3
from django.utils.html import urlize

# What a response may contain once shown: text structure and links, nothing that runs or loads.
ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "s",
    "blockquote",
    "q",
    "cite",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "abbr",
    "del",
    "ins",
    "sub",
    "sup",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang"}, "abbr": {"title"}, "q": {"cite"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_HTML_TAG = re.compile(
    r"(?i)<\s*/?\s*(p|br|a|em|strong|i|b|u|blockquote|code|pre|ul|ol|li|div|span|img)\b"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


_CLEANER_OPTIONS = dict(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)
if hasattr(nh3, "Cleaner"):  # nh3 ≥ 0.2.18: the allowlists are converted once, not per call
    _clean = nh3.Cleaner(**_CLEANER_OPTIONS).clean
else:  # pragma: no cover

    def _clean(html):
        return nh3.clean(html, **_CLEANER_OPTIONS)


# Paragraphs and line breaks around text holding nothing the sanitiser would change: what
# WordPress's automatic paragraphs make of a plain comment, most of an imported blog's comments.
_SIMPLE_TAG = re.compile(r"</?p>|<br\s*/?>")
_LINE_BREAK = re.compile(r"<br\s*/?>")
# Control characters nh3 would drop (UTF-8 encodes them as these very bytes, and no other
# character's bytes include them).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def _paragraphs_only(html):
    """The HTML with ``<br>`` written as nh3 writes it, when it is only text in closed, flat
    ``<p>`` paragraphs and line breaks; None otherwise, or when unsure (any character nh3 might
    escape or drop sends the text to nh3). Counting and byte filters, not a regular expression
    per character: this runs for every imported comment."""
    tags = _SIMPLE_TAG.findall(html)
    if html.count("<") != len(tags) or html.count(">") != len(tags):
        return None
    if "&" in html or "\xa0" in html or "\r" in html:
        return None
    encoded = html.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded):
        return None
    open_paragraph = False
    for tag in tags:
        if tag == "<p>":
            if open_paragraph:
                return None
            open_paragraph = True
        elif tag == "</p>":
            if not open_paragraph:
                return None
            open_paragraph = False
    if open_paragraph:
        return None
    return _LINE_BREAK.sub("<br>", html) if "<br" in html else html


def clean_html(html):
    """Sanitise HTML from any source down to the allowlist (links get rel=nofollow ugc).

    Plain text in closed ``<p>`` paragraphs with line breaks comes back as nh3 gives it back
    (``<br>`` written its way) without being parsed: a third of an import's time per comment
    otherwise. ``test_clean_html_paragraphs.py`` checks the two ways agree on such texts."""
    html = html or ""
    if _just_cleaned.holds(html):
        return html
    simple = _paragraphs_only(html)
    cleaned = (simple if simple is not None else _clean(html)).strip()
    _just_cleaned.add(cleaned)
    return cleaned


class _JustCleaned:
    """The last few texts ``clean_html`` gave back, so HTML it just cleaned is not cleaned
    again. A door that cleans what a peer sent (a Webmention's e-content, once, in the
    verification) hands the result to ``Response.save()``, which cleans whatever it is given:
    the second pass finds the text here instead of parsing it again. Only ``clean_html``'s own
    output is ever held, so a text found here is already clean. Bounded by count and size."""

    def __init__(self, size=32, longest=200_000):
        self._texts = OrderedDict()
        self._size, self._longest = size, longest
        self._lock = threading.Lock()

    def holds(self, text):
        with self._lock:
            if text in self._texts:
                self._texts.move_to_end(text)
                return True
            return False

    def add(self, text):
        if len(text) > self._longest:
            return
        with self._lock:
            self._texts[text] = None
            self._texts.move_to_end(text)
            while len(self._texts) > self._size:
                self._texts.popitem(last=False)


_just_cleaned = _JustCleaned()


def plain_text_to_html(text):
    """Plain text to HTML: blank lines make paragraphs, newlines line breaks, URLs links."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        block = block.strip()
        if not block:
            continue
        lines = [
            urlize(line, trim_url_limit=60, nofollow=True, autoescape=True)
            for line in block.split("\n")
        ]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return clean_html("\n".join(paragraphs))


def looks_like_html(text):
    return bool(_HTML_TAG.search(text or ""))


def html_from_content(content, plain=False):
    """The shown HTML for a response's stored ``content``. Text typed in the comment form
    (``plain``) is always plain text; from other doors, HTML (an imported WordPress comment)
    is cleaned and plain text is turned into paragraphs."""
    if not plain and looks_like_html(content):
        # Imported WordPress comments keep WordPress's habit of blank-line paragraphs.
        if "<p" not in content.lower() and "\n\n" in content:
            content = "".join(f"<p>{block}</p>" for block in _PARAGRAPH_BREAK.split(content))
        return clean_html(content)
    return plain_text_to_html(content)


def count_links(text):
    """How many links a comment holds: bare URLs and any <a href> written out."""
    text = text or ""
    return len(_URL.findall(text)) + len(re.findall(r"(?i)<a\s[^>]*href", text))


def normalise_for_duplicates(text):
    """The text with case and runs of spaces folded, to recognise the same comment sent twice."""
    return " ".join((text or "").split()).casefold()


def strip_tags(html):
    """The text of some HTML, for language detection and plain-text mail."""
    from django.utils.html import strip_tags as django_strip_tags

    return django_strip_tags(html or "")
