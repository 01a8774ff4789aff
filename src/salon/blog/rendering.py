"""Turning a post's stored body into HTML.

Markdown is the author's own text (trusted, so inline HTML is allowed, as in WordPress);
imported HTML is kept as it was written.
"""

from functools import lru_cache

from markdown_it import MarkdownIt

MARKDOWN = "markdown"
HTML = "html"


@lru_cache(maxsize=1)
def _markdown():
    return MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )


def render_body(text, body_format=MARKDOWN):
    if body_format == HTML:
        return text or ""
    return _markdown().render(text or "")
