"""``{% feed_links %}``: the ``<link rel="alternate">`` of the site's feeds, for ``<head>``.

Every page advertises the feeds of all posts (RSS, Atom, JSON Feed); a page that has feeds of
its own adds them: the home page the feeds of all comments, a language river its language's
feeds, a tag or a series page its feeds, a public post its comment feeds. The page is
recognised from its context (the request's view name, ``river_language``, ``tag``, ``series``,
``post``), so no query is made; the links' HTML is kept per generation for each set of feeds
(``salon.core.fragments``).
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Post, Series, Tag
from salon.core import fragments

from ..feeds import FORMAT_NAMES, MIME_TYPES, feed_urls, post_feed_urls

register = template.Library()


def _page_feeds(context):
    site = settings.SALON_SITE_NAME
    yield _("%(site)s: all posts") % {"site": site}, feed_urls("posts"), None
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "blog:home":
        yield _("%(site)s: all comments") % {"site": site}, feed_urls("comments"), None
    river_language = context.get("river_language")
    if isinstance(river_language, str) and languages.is_content_language(river_language):
        yield (
            _("%(site)s, for readers of %(language)s")
            % {"site": site, "language": languages.language_name(river_language)},
            feed_urls("language", lang=river_language),
            river_language,
        )
    tag = context.get("tag")
    if isinstance(tag, Tag) and tag.slug:
        yield (
            _("%(site)s: posts tagged “%(tag)s”") % {"site": site, "tag": tag.name},
            feed_urls("tag", slug=tag.slug),
            None,
        )
    series = context.get("series")
    if isinstance(series, Series) and series.slug:
        yield (
            _("%(site)s: %(series)s") % {"site": site, "series": series.title},
            feed_urls("series", slug=series.slug),
            None,
        )
    post = context.get("post")
    if isinstance(post, Post) and post.pk and post.is_listed and not post.password:
        yield (
            _("Comments on “%(post)s”") % {"post": post.title},
            post_feed_urls(post),
            None,
        )


def _feeds_key(context):
    """What names the page's set of feeds (the rest, titles included, is the same for every
    page naming it within one generation)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    river_language, tag, series, post = (
        context.get(name) for name in ("river_language", "tag", "series", "post")
    )
    return (
        "feed-links",
        get_language(),
        match is not None and match.view_name == "blog:home",
        river_language if isinstance(river_language, str) else None,
        tag.pk if isinstance(tag, Tag) else None,
        series.pk if isinstance(series, Series) else None,
        post.pk if isinstance(post, Post) else None,
    )


@register.simple_tag(takes_context=True)
def feed_links(context):
    def render():
        links = []
        for title, urls, hreflang in _page_feeds(context):
            for fmt, url in urls.items():
                links.append(
                    {
                        "title": f"{title} ({FORMAT_NAMES[fmt]})",
                        "type": MIME_TYPES[fmt],
                        "href": url,
                        "hreflang": hreflang,
                    }
                )
        return render_to_string("feeds/includes/feed_links.html", {"feed_links": links})

    return mark_safe(fragments.fragment(context.get("request"), _feeds_key(context), render))
