"""The feeds: posts (all, per language, per tag, per series) and comments (all, per post).

Each feed is a ``django.contrib.syndication.views.Feed`` instantiated once per format (RSS 2.0,
Atom, JSON Feed 1.1). ``items()`` turns posts and responses into ``entries.Entry`` records, built
from querysets with their relations prefetched, so a feed costs the same few queries whatever
its length; the ``item_*`` hooks only read those records.

A feed's own texts (title, description, notices) are in the feed's language when the interface
speaks it, otherwise in the default interface language; a mixed-language feed's language is the
blog's first content language. Nothing in the output depends on the request, so the body's hash
is a stable ETag (see ``SalonFeed.__call__``).
"""

import hashlib
from types import SimpleNamespace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Post, Series, Tag, day_bounds
from salon.conversations.models import Response
from salon.core import fragments

from .entries import (
    absolute,
    author_name,
    comment_entry,
    feed_comments,
    feed_length,
    feed_posts,
    interface_language,
    latest_comments,
    post_entry,
    post_feed_path,
)
from .generators import AtomFeed, JSONFeed, RssFeed

FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JSONFeed}
MIME_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


class _Redirect(Exception):
    def __init__(self, url):
        self.url = url


class SalonFeed(Feed):
    """What every Salon feed shares: one format per instance, absolute links from
    ``SITE_URL``, the feed's language, stable ids, and conditional GET."""

    kind = None  # the URL name's stem: feeds:<kind>-<format>
    item_guid_is_permalink = False

    def __init__(self, fmt="rss"):
        super().__init__()
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]

    # The view ----------------------------------------------------------------------------

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404(_("There is no feed at this address.")) from exc
        except _Redirect as redirect:
            return HttpResponsePermanentRedirect(redirect.url)
        language = self.feed_language(obj)
        with translation.override(interface_language(language)):
            feedgen = self.get_feed(obj, request)
            body = feedgen.writeString("utf-8").encode("utf-8")
        response = HttpResponse(body, content_type=feedgen.content_type)
        # The feed's language, not the reader's interface language LocaleMiddleware would say.
        response.headers["Content-Language"] = language
        # The body depends only on the data (never on the request), so its hash is an exact
        # validator: a renamed tag or an edited summary changes it, where a date would not.
        etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
        response.headers["ETag"] = etag
        last_modified = None
        if feedgen.items or feedgen.feed.get("fallback_updated"):
            last_modified = int(feedgen.latest_post_date().timestamp())
            response.headers["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    def get_feed(self, obj, request):
        """The feed generator, filled as Django's ``Feed.get_feed`` fills it, but from the
        ``Entry`` records directly: Django asks every item hook of every item through
        ``_get_dynamic_attr`` (about fifteen introspected calls per item, more than the rest of
        a feed whose items' XML is kept, see ``generators``), where an entry already holds its
        fields. Every link is absolute (``SITE_URL``), so no domain is added."""
        attr = self._get_dynamic_attr
        feed = self.feed_type(
            title=attr("title", obj),
            subtitle=attr("subtitle", obj),
            link=attr("link", obj),
            description=attr("description", obj),
            language=self.feed_language(obj),
            feed_url=attr("feed_url", obj),
            author_name=attr("author_name", obj),
            author_link=attr("author_link", obj),
            author_email=attr("author_email", obj),
            categories=attr("categories", obj),
            feed_copyright=attr("feed_copyright", obj),
            feed_guid=attr("feed_guid", obj),
            ttl=attr("ttl", obj),
            stylesheets=attr("stylesheets", obj),
            **self.feed_extra_kwargs(obj),
        )
        for entry in self.items(obj):
            feed.add_item(
                title=entry.title,
                link=entry.link,
                description=entry.summary_html,
                unique_id=entry.id,
                unique_id_is_permalink=self.item_guid_is_permalink,
                pubdate=entry.published,
                updateddate=entry.updated,
                author_name=entry.author_name,
                author_link=entry.author_link if entry.author_name is not None else None,
                categories=entry.categories,
                entry=entry,
                **self.item_extra_kwargs(entry),
            )
        return feed

    # Feed-level hooks ----------------------------------------------------------------------

    def feed_language(self, obj):
        return languages.content_languages()[0]

    def url_kwargs(self, obj):
        return {}

    def feed_url(self, obj):
        return absolute(reverse(f"feeds:{self.kind}-{self.fmt}", kwargs=self.url_kwargs(obj)))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)

    def author_name(self, obj):
        return author_name()

    def author_link(self, obj):
        return absolute(reverse("blog:home"))

    def feed_extra_kwargs(self, obj):
        return {
            "fallback_updated": self.fallback_updated(obj),
            "category_scheme": absolute(reverse("blog:home")) + "tag/",
        }

    def fallback_updated(self, obj):
        return None

    # What an item carries beyond Django's own fields (see ``generators``) ------------------

    def item_extra_kwargs(self, entry):
        return {
            "language": entry.language,
            "content_html": entry.content_html,
            "summary_language": entry.summary_language,
            "summary_text": entry.summary_text,
            "summaries": entry.summaries,
            "image": entry.image,
            "in_reply_to": entry.in_reply_to,
            "replies": entry.replies,
        }


class PostsFeed(SalonFeed):
    """Every published post, in every language."""

    kind = "posts"

    def title(self, obj):
        return settings.SALON_SITE_NAME

    def link(self, obj):
        return absolute(reverse("blog:home"))

    def description(self, obj):
        return _("The latest posts of %(site)s, in every language.") % {
            "site": settings.SALON_SITE_NAME
        }

    def posts(self, obj):
        return feed_posts()

    def reader_language(self, obj):
        return None

    def items(self, obj):
        """The feed's entries. Each post's entry is made once per version, reader language
        and interface language, and which posts the feed lists is kept too (both with
        ``salon.core.fragments``, per generation): a feed whose list and entries are kept reads
        no row; otherwise it reads its posts, and the tags and summaries of those whose entry is
        not kept."""
        reader = self.reader_language(obj)
        home = absolute(reverse("blog:home"))
        # The generation is read before the posts are (so an entry is never kept under a
        # generation newer than the rows it was made from).
        reading = SimpleNamespace()
        fragments.begin(reading)
        list_key = ("feed-posts", self.kind, *sorted(self.url_kwargs(obj).items()))
        rows = fragments.get(reading, list_key)
        read = {}
        if rows is None:
            read = {
                post.pk: post for post in self.posts(obj).prefetch_related(None)[: feed_length()]
            }
            rows = fragments.put(
                reading, list_key, [(pk, post.updated_at.isoformat()) for pk, post in read.items()]
            )
        language = translation.get_language()

        def key(pk, version):
            return ("feed-entry", pk, version, reader, language, home)

        entries = {pk: fragments.get(reading, key(pk, version)) for pk, version in rows}
        missing = [pk for pk, entry in entries.items() if entry is None]
        if missing:
            posts = [read[pk] for pk in missing if pk in read]
            if len(posts) < len(missing):
                posts += (
                    feed_posts()
                    .prefetch_related(None)
                    .filter(pk__in=[pk for pk in missing if pk not in read])
                    .order_by()
                )
            prefetch_related_objects(posts, "tags", "summaries")
            for post in posts:
                entries[post.pk] = fragments.put(
                    reading,
                    key(post.pk, post.updated_at.isoformat()),
                    post_entry(post, reader, home=home),
                )
        # (A post deleted since the list was read is left out.)
        return [entries[pk] for pk, _version in rows if entries[pk] is not None]


class LanguageFeed(PostsFeed):
    """The language river as a feed: every post, for readers of one language. Posts in another
    language carry their summary in the reader's language as their summary."""

    kind = "language"

    def get_object(self, request, lang):
        if not languages.is_content_language(lang):
            raise ObjectDoesNotExist(lang)
        return lang

    def url_kwargs(self, lang):
        return {"lang": lang}

    def feed_language(self, lang):
        return lang

    def reader_language(self, lang):
        return lang

    def posts(self, lang):
        # As on the language river: a text translated into this language comes once, translated.
        return feed_posts().for_readers_of(lang)

    def title(self, lang):
        return _("%(site)s, for readers of %(language)s") % {
            "site": settings.SALON_SITE_NAME,
            "language": languages.language_name(lang),
        }

    def link(self, lang):
        return absolute(reverse("blog:page", kwargs={"slug": lang}))

    def description(self, lang):
        return _("The latest posts of %(site)s for readers of %(language)s.") % {
            "site": settings.SALON_SITE_NAME,
            "language": languages.language_name(lang),
        }


class TagFeed(PostsFeed):
    kind = "tag"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def url_kwargs(self, tag):
        return {"slug": tag.slug}

    def title(self, tag):
        return _("%(site)s: posts tagged “%(tag)s”") % {
            "site": settings.SALON_SITE_NAME,
            "tag": tag.name,
        }

    def link(self, tag):
        return absolute(tag.get_absolute_url())

    def description(self, tag):
        return _("The latest posts of %(site)s tagged “%(tag)s”.") % {
            "site": settings.SALON_SITE_NAME,
            "tag": tag.name,
        }

    def posts(self, tag):
        return feed_posts().filter(tags=tag)


class SeriesFeed(PostsFeed):
    kind = "series"

    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def url_kwargs(self, series):
        return {"slug": series.slug}

    def title(self, series):
        return _("%(site)s: %(series)s") % {
            "site": settings.SALON_SITE_NAME,
            "series": series.title,
        }

    def link(self, series):
        return absolute(series.get_absolute_url())

    def description(self, series):
        return series.description or _("The posts of the series “%(series)s”.") % {
            "series": series.title
        }

    def posts(self, series):
        return feed_posts().filter(series=series)


class CommentsFeed(SalonFeed):
    """Every approved comment and reply, newest first."""

    kind = "comments"

    def title(self, obj):
        return _("%(site)s: comments") % {"site": settings.SALON_SITE_NAME}

    def link(self, obj):
        return absolute(reverse("blog:home"))

    def description(self, obj):
        return _("The latest comments on %(site)s.") % {"site": settings.SALON_SITE_NAME}

    def comments(self, obj):
        return feed_comments()

    def items(self, obj):
        return [
            comment_entry(response)
            for response in latest_comments(self.comments(obj), feed_length())
        ]


class PostCommentsFeed(CommentsFeed):
    """The comments of one post, at ``<permalink>feed/``. A password-protected post's comments
    stay out of feeds (as its body does): the feed exists but lists none."""

    kind = "post-comments"

    def get_object(self, request, year, month, day, slug):
        post = Post.objects.published().filter(slug=slug).first()
        if post is None:
            raise Post.DoesNotExist(slug)
        bounds = day_bounds(int(year), int(month), int(day))
        if bounds is None or not bounds[0] <= post.published_at < bounds[1]:
            # Right slug, wrong date (a re-dated post): the feed moved with the post.
            raise _Redirect(post_feed_path(post, self.fmt))
        return post

    def feed_url(self, post):
        return absolute(post_feed_path(post, self.fmt))

    def feed_language(self, post):
        return post.language

    def title(self, post):
        return _("Comments on “%(post)s”") % {"post": post.title}

    def link(self, post):
        return absolute(post.get_absolute_url())

    def description(self, post):
        return _("The comments on “%(post)s”, newest first.") % {"post": post.title}

    def fallback_updated(self, post):
        return post.published_at

    def comments(self, post):
        if post.password:
            return Response.objects.none()
        return feed_comments().filter(post=post)


def feed_urls(kind, **kwargs):
    """``{format: absolute URL}`` of one feed (``feeds:<kind>-<format>``) in every format."""
    return {fmt: absolute(reverse(f"feeds:{kind}-{fmt}", kwargs=kwargs)) for fmt in FORMATS}


def post_feed_urls(post):
    """``{format: absolute URL}`` of a post's comment feed in every format."""
    return {fmt: absolute(post_feed_path(post, fmt)) for fmt in FORMATS}
