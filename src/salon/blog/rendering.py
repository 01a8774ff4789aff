"""Turning a post's stored body into the HTML shown on the site.

Markdown is the author's text (inline HTML is allowed in it, as in WordPress); imported HTML is
kept as it was written. Either way the result goes through the allow-list of
``sanitising.py``: a paste or an import from a third party cannot put live script on the site.
"""

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from .sanitising import sanitise

MARKDOWN = "markdown"
HTML = "html"

# markdown-it aligns table cells with a style attribute; the CSP allows no inline style, so the
# alignment becomes a class (salon.css).
_ALIGN_STYLE = re.compile(r'<(th|td) style="text-align:(left|center|right)">')


@lru_cache(maxsize=1)
def _markdown():
    return MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )


def unsanitised_html(text, body_format=MARKDOWN):
    """The body as HTML before the allow-list (what an import's report compares against)."""
    if body_format == HTML:
        return text or ""
    return _ALIGN_STYLE.sub(r'<\1 class="align-\2">', _markdown().render(text or ""))


def render_body(text, body_format=MARKDOWN):
    """The shown HTML of a body: rendered from Markdown (or taken as HTML), then sanitised."""
    return sanitise(unsanitised_html(text, body_format))


def render_again(model, batch=500):
    """Render the body of every row of ``model`` (posts or pages, current or historical model)
    again, writing ``body_html`` where it changed; returns the ids of the rows written.

    The data migration that brought the allow-list in runs it (so an upgrade leaves no stored
    body unsanitised), and so does ``salon render-bodies`` after a change to the rules."""
    changed = []
    rows = model.objects.order_by("pk").values_list("pk", "body", "body_format", "body_html")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:batch])
        if not chunk:
            return changed
        for pk, body, body_format, body_html in chunk:
            html = render_body(body, body_format)
            if html != body_html:
                model.objects.filter(pk=pk).update(body_html=html)
                changed.append(pk)
        last = chunk[-1][0]
