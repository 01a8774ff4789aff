"""Feed addresses: each feed at ``<base>feed/`` (RSS 2.0), ``<base>feed/atom/`` and
``<base>feed/json/``, named ``feeds:<kind>-<format>``. Included before the blog's URLs. ``salon/urls.py`` has every feed kept by the
page cache (salon.pagecache), which answers "changed since?" with a 304 from the kept validators."""

from django.urls import path, re_path, register_converter

from salon import languages

from . import feeds
from .entries import FORMAT_PATHS


class ContentLanguageConverter:
    """Matches only a configured content language (checked per request, so settings
    overrides count); any other segment does not match and leaves the URL to later patterns."""

    regex = r"[-\w]+"

    def to_python(self, value):
        if not languages.is_content_language(value):
            raise ValueError(value)
        return value

    def to_url(self, value):
        return value


register_converter(ContentLanguageConverter, "content_language")

app_name = "feeds"

_POST = r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/feed/"


def _formats(base, feed_class, *, regex=False):
    patterns = []
    for fmt, suffix in FORMAT_PATHS.items():
        name = f"{feed_class.kind}-{fmt}"
        if regex:
            patterns.append(re_path(f"{base}{suffix}$", feed_class(fmt), name=name))
        else:
            patterns.append(path(f"{base}{suffix}", feed_class(fmt), name=name))
    return patterns


urlpatterns = [
    *_formats("feed/", feeds.PostsFeed),
    *_formats("comments/feed/", feeds.CommentsFeed),
    *_formats("tag/<slug:slug>/feed/", feeds.TagFeed),
    *_formats("series/<slug:slug>/feed/", feeds.SeriesFeed),
    *_formats(_POST, feeds.PostCommentsFeed, regex=True),
    # /<code>/feed/ for each configured content language; another code matches nothing here.
    *_formats("<content_language:lang>/feed/", feeds.LanguageFeed),
]
