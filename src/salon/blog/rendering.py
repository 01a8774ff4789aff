"""Turning a post's stored body into the HTML shown on the site.

Markdown is the author's text (inline HTML is allowed in it, as in WordPress); imported HTML is
kept as it was written. Either way the result goes through the allow-list of
``sanitising.py``: a paste or an import from a third party cannot put live script on the site.

Other apps extend the rendering without the blog importing them (they import the blog), from
their ``AppConfig.ready()``:

- ``register_markdown_plugin(plugin)``: a markdown-it-py plugin, ``plugin(md)``, applied to the
  one parser every Markdown body goes through (``salon.media`` turns library images into
  figures and lone links into embeds this way). A rule reads ``state.env["language"]``, the
  language of the text being rendered (None when unknown, as in the admin's preview). What a
  plugin writes goes through the allow-list like the rest;
- ``register_feed_filter(filter)``: ``filter(html) -> html``, applied by ``for_feeds()`` to a
  stored body before a feed carries it (what a page shows that a feed reader cannot use).
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

_plugins = []
_feed_filters = []


def register_markdown_plugin(plugin):
    """Apply ``plugin`` (``plugin(md)``) to the Markdown parser; registering twice is a no-op."""
    if plugin not in _plugins:
        _plugins.append(plugin)
        _markdown.cache_clear()


def register_feed_filter(feed_filter):
    """Have ``for_feeds()`` pass bodies through ``feed_filter(html) -> html``."""
    if feed_filter not in _feed_filters:
        _feed_filters.append(feed_filter)


@lru_cache(maxsize=1)
def _markdown():
    md = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )
    for plugin in _plugins:
        md.use(plugin)
    return md


def unsanitised_html(text, body_format=MARKDOWN, language=None):
    """The body as HTML before the allow-list (what an import's report compares against)."""
    if body_format == HTML:
        return text or ""
    html = _markdown().render(text or "", {"language": language})
    return _ALIGN_STYLE.sub(r'<\1 class="align-\2">', html)


def render_body(text, body_format=MARKDOWN, language=None):
    """The shown HTML of a body: rendered from Markdown (or taken as HTML), then sanitised;
    ``language`` is the text's own (the plugins' words follow it)."""
    return sanitise(unsanitised_html(text, body_format, language))


def for_feeds(html):
    """A stored body as feeds carry it (through the registered feed filters)."""
    for feed_filter in _feed_filters:
        html = feed_filter(html)
    return html


def render_again(model, batch=500):
    """Render the body of every row of ``model`` (posts or pages, current or historical model)
    again, writing ``body_html`` where it changed; returns the ids of the rows written.

    The data migration that brought the allow-list in runs it (so an upgrade leaves no stored
    body unsanitised), and so does ``salon render-bodies`` after a change to the rules."""
    changed = []
    rows = model.objects.order_by("pk").values_list(
        "pk", "body", "body_format", "body_html", "language"
    )
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:batch])
        if not chunk:
            return changed
        for pk, body, body_format, body_html, language in chunk:
            html = render_body(body, body_format, language)
            if html != body_html:
                model.objects.filter(pk=pk).update(body_html=html)
                changed.append(pk)
        last = chunk[-1][0]
