"""What a post's body may hold once shown: an allow-list applied by nh3 (the sanitiser the
comments use, with a wider list for an author's text).

Every body goes through it, whatever wrote it: the author's Markdown (raw HTML in Markdown is
allowed, so a paste from elsewhere is HTML too), an imported WordPress post, a JSON import.
What runs or loads by itself is removed: ``<script>``, ``<style>``, frames, objects, forms,
every event handler, ``style`` attributes (the CSP forbids inline style), and any URL whose
scheme is not http, https, mailto or tel (``javascript:``, ``data:``, ``vbscript:``…). nh3
parses with html5ever, the HTML5 algorithm browsers use, and serialises what it kept, so markup
that would mutate when parsed again (the mXSS vectors: ``<noscript>``, ``<svg>``/``<math>``
namespace confusion, comments) never reaches the page in a form that could.

Embeds are the media app's click-to-load figures: a ``<figure>`` with ``data-*`` attributes and
a ``<button>``, never an ``<iframe>`` in the stored HTML (its script builds the frame when the
reader asks, from a provider the CSP allows).
"""

import html as html_module
import re
from collections import Counter

import nh3

TAGS = {
    # text
    "p", "br", "hr", "a", "em", "strong", "i", "b", "u", "s", "small", "mark", "span", "div",
    "blockquote", "q", "cite", "abbr", "dfn", "del", "ins", "sub", "sup", "kbd", "samp", "var",
    "time", "data", "bdi", "bdo", "wbr", "ruby", "rt", "rp", "address",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd",
    "code", "pre",
    # media and figures
    "figure", "figcaption", "img", "picture", "source", "audio", "video", "track",
    # tables
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    # disclosure, and the embeds' button
    "details", "summary", "button",
    "section", "article", "aside", "header", "footer",
}  # fmt: skip

_MEDIA = {"src", "width", "height", "loading", "decoding", "alt", "title"}
ATTRIBUTES = {
    # everywhere: language, direction, classes (no style: the CSP forbids inline styles)
    "*": {"lang", "dir", "class", "title"},
    "a": {"href", "hreflang", "rel", "name"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "img": _MEDIA | {"srcset", "sizes"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "audio": {"src", "controls", "preload", "loop"},
    "video": {"src", "controls", "preload", "loop", "poster", "width", "height", "playsinline"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "scope", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "button": {"type"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "figure": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed with their content; other removed elements keep their text.
CONTENT_REMOVED = {"script", "style", "template", "noscript", "iframe", "object", "title"}

# A start tag and its attributes, read the lenient way a browser would (for counting only: the
# cleaning itself is nh3's).
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_NAME = re.compile(r"[a-z][a-z0-9:_-]*")
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "data", "background"}
_SAFE_URL = re.compile(r"^(?:(?:https?|mailto|tel):|[^:]*$|[^:]*[/?#])", re.I)


_SRCSET_URL = re.compile(r"^(?:https?://|/|\.{0,2}/|[\w\-.~%]+(?:/|$))", re.I)


def _attribute(tag, name, value):
    """Per-value rules nh3 has no option for: every ``srcset`` candidate is a plain URL (a
    ``data:`` or ``javascript:`` one drops the attribute), a button only ever is a button."""
    if name in _URL_ATTRIBUTES and not _SAFE_URL.match(_compact(value)):
        return None  # nh3 checks href and src; cite, poster… are checked here
    if name == "srcset":
        for candidate in value.split(","):
            url = candidate.strip().split(" ", 1)[0]
            if url and not _SRCSET_URL.match(url):
                return None
        return value
    if tag == "button" and name == "type":
        return "button"
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CONTENT_REMOVED,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    generic_attribute_prefixes={"data-"},
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)


def sanitise(html):
    """``html`` reduced to the allow-list, serialised anew by nh3."""
    if not html:
        return ""
    return _cleaner.clean(html)


def removed_markup(html):
    """What ``sanitise`` takes out of ``html``, counted for an import's report:
    ``Counter({"script": 2, "event handler": 5, "unsafe URL": 1, "<iframe>": 1, …})``.
    Elements off the list count by name (``<script>`` as "script"), event handlers and URLs
    with a forbidden scheme by kind, other attributes as ``style``/``name`` by name."""
    removed = Counter()
    if not html or "<" not in html:
        return removed
    for match in _START_TAG.finditer(_COMMENT.sub("", html)):
        tag = match.group(1).lower()
        if tag not in TAGS:
            removed["script" if tag == "script" else f"<{tag}>"] += 1
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for attribute in _ATTRIBUTE.finditer(match.group(2)):
            name = attribute.group(1).lower()
            value = next((v for v in attribute.group(2, 3, 4) if v is not None), "")
            if name.startswith("on"):
                removed["event handler"] += 1
            elif name.startswith("data-"):
                continue
            elif name not in allowed:
                removed[f"{name}=" if _NAME.fullmatch(name) else "malformed attribute"] += 1
            elif name in _URL_ATTRIBUTES and not _SAFE_URL.match(_compact(value)):
                removed["unsafe URL"] += 1
            elif name == "srcset" and _attribute(tag, name, value) is None:
                removed["unsafe URL"] += 1
    return removed


def _compact(url):
    """A URL as a browser reads its scheme: entities decoded, spaces and controls dropped."""
    return re.sub(r"[\s\x00-\x1f]", "", html_module.unescape(url))
