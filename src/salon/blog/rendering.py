"""Turning a post's stored body into HTML.

Markdown is the author's own text (trusted, so inline HTML is allowed, as in WordPress);
imported HTML is kept as it was written.

Other apps extend the rendering without the blog importing them (they import the blog), from
their ``AppConfig.ready()``:

- ``register_markdown_plugin(plugin)``: a markdown-it-py plugin, ``plugin(md)``, applied to the
  one parser every Markdown body goes through (``salon.media`` turns library images into
  figures and lone links into embeds this way). A rule reads ``state.env["language"]``, the
  language of the text being rendered (None when unknown, as in the admin's preview);
- ``register_feed_filter(filter)``: ``filter(html) -> html``, applied by ``for_feeds()`` to a
  stored body before a feed carries it (what a page shows that a feed reader cannot use).
"""

from functools import lru_cache

from markdown_it import MarkdownIt

MARKDOWN = "markdown"
HTML = "html"

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


def render_body(text, body_format=MARKDOWN, language=None):
    """The HTML of a body; ``language`` is the text's own (the plugins' words follow it)."""
    if body_format == HTML:
        return text or ""
    return _markdown().render(text or "", {"language": language})


def for_feeds(html):
    """A stored body as feeds carry it (through the registered feed filters)."""
    for feed_filter in _feed_filters:
        html = feed_filter(html)
    return html
