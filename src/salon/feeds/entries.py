"""Feed items as records: what a post or a response shows in a feed, in every format.

``post_entry`` and ``comment_entry`` turn model instances (with their relations prefetched by
``feed_posts`` and ``feed_comments``) into ``Entry`` records; the feeds' ``item_*`` hooks only
read them, so building a feed makes no query per item.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape as html_escape
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html, linebreaks
from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import Post
from salon.blog.rendering import for_feeds
from salon.conversations.models import Kind, Response
from salon.core import identity

from .html import absolutize, excerpt

# Where each format lives under a feed's base path: /feed/, /feed/atom/, /feed/json/.
FORMAT_PATHS = {"rss": "", "atom": "atom/", "json": "json/"}


def post_feed_path(post, fmt="rss"):
    """A post's comment feed lives under its permalink: ``/2026/11/20/slug/feed/``."""
    return f"{post.get_absolute_url()}feed/{FORMAT_PATHS[fmt]}"


def feed_length():
    return settings.SALON_FEED_ITEMS


def author_name():
    return identity.author().name


def absolute(path):
    return settings.SITE_URL + path


def tag_uri(kind, pk, created):
    """A stable id (RFC 4151): survives changes of title, slug or date, unlike a permalink."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{created.astimezone(UTC):%Y-%m-%d}:{kind}/{pk}"


def interface_language(code):
    """The interface language to write a feed's own texts in, for content language ``code``."""
    if code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


def _language_order(code):
    configured = languages.content_languages()
    return (configured.index(code) if code in configured else len(configured), code)


@dataclass
class Entry:
    """One feed item, whatever it was made from (a post or a response)."""

    id: str
    link: str
    title: str
    language: str
    content_html: str
    summary_html: str
    summary_language: str | None
    summary_text: str
    published: datetime
    updated: datetime
    author_name: str
    author_link: str | None = None
    summaries: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    image: str | None = None
    in_reply_to: dict | None = None
    replies: dict | None = None  # a post's comment feeds, {format: URL}
    # The item's XML per format, once written (``generators``): the record is kept per post
    # version, so is its markup.
    markup: dict = field(default_factory=dict, compare=False, repr=False)


def _text_html(text):
    """Plain text as HTML (quotes left alone: they need no escaping in element content)."""
    return html_escape(text, quote=False)


def _summary_fields(shown):
    """(html, language, text) for summaries ``[(code, text)]`` shown as an item's summary."""
    if len(shown) == 1:
        code, text = shown[0]
        return _text_html(text), code, text
    html = "".join(f'<p lang="{escape(code)}">{_text_html(text)}</p>' for code, text in shown)
    return html, None, shown[0][1]


def _cover_html(post, cover_url):
    if not cover_url:
        return ""
    caption = " · ".join(part for part in (post.cover_credit, post.cover_licence) if part)
    return format_html(
        '<figure><img src="{}" alt="{}">{}</figure>',
        cover_url,
        post.cover_alt,
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def post_entry(post, reader_language=None, *, home=None):
    """The feed item of a post.

    Its summary is the post's summaries in the other languages, each with its language; in a
    language feed, a post in another language shows only its summary in the reader's language
    (the bridge, as on the language river). With no such summary, an excerpt of the body in the
    post's language. A password-protected post shows its title and summaries, never its body.
    ``home`` (the site's absolute address, the author's link) may be given once for a feed.
    """
    path = post.get_absolute_url()
    link = absolute(path)
    cover_url = post.cover_url
    others = sorted(
        ((s.language, s.text) for s in post.summaries.all() if s.language != post.language),
        key=lambda pair: _language_order(pair[0]),
    )
    shown = others
    if reader_language and reader_language != post.language:
        shown = [pair for pair in others if pair[0] == reader_language]
    notice_language = translation.get_language()
    if post.password:
        content = format_html(
            '<p lang="{}">{} <a href="{}">{}</a></p>',
            notice_language,
            _("This post is protected by a password."),
            link,
            _("Open it"),
        )
    else:
        content = absolutize(_cover_html(post, cover_url) + for_feeds(post.body_html), link)
    if shown:
        summary_html, summary_language, summary_text = _summary_fields(shown)
    elif post.password:
        summary_text = _("This post is protected by a password.")
        summary_html, summary_language = _text_html(summary_text), notice_language
    else:
        summary_text = excerpt(post.body_html)
        summary_html, summary_language = _text_html(summary_text), post.language
    return Entry(
        id=tag_uri("post", post.pk, post.created_at),
        link=link,
        title=post.title,
        language=post.language,
        content_html=content,
        summary_html=summary_html,
        summary_language=summary_language,
        summary_text=summary_text,
        summaries=others,
        published=post.published_at,
        updated=max(post.updated_at, post.published_at),
        author_name=author_name(),
        author_link=home or absolute(reverse("blog:home")),
        categories=[tag.name for tag in post.tags.all()],
        image=urljoin(link, cover_url) if cover_url else None,
        replies=None
        if post.password
        else {fmt: f"{link}feed/{FORMAT_PATHS[fmt]}" for fmt in ("rss", "atom")},
    )


def comment_anchor(response_id):
    """The fragment of a response on its post's page (as the conversations thread renders it)."""
    return f"response-{response_id}"


def comment_entry(response):
    """The feed item of an approved comment or reply (its author's e-mail is never loaded)."""
    post = response.post
    post_link = absolute(post.get_absolute_url())
    link = f"{post_link}#{comment_anchor(response.pk)}"
    html = response.content_html or linebreaks(escape(response.content))
    if response.parent_id and response.parent is not None:
        in_reply_to = {
            "ref": tag_uri("comment", response.parent_id, response.parent.created_at),
            "href": f"{post_link}#{comment_anchor(response.parent_id)}",
        }
    else:
        in_reply_to = {"ref": tag_uri("post", post.pk, post.created_at), "href": post_link}
    text = excerpt(html, 40)
    return Entry(
        id=tag_uri("comment", response.pk, response.created_at),
        link=link,
        title=_("%(author)s on “%(post)s”") % {"author": response.author_name, "post": post.title},
        # "" is "language unknown" (xml:lang=""), rather than inheriting the feed's language.
        language=response.language or "",
        content_html=absolutize(html, link),
        summary_html=_text_html(text),
        summary_language=response.language or "",
        summary_text=text,
        published=response.created_at,
        updated=max(response.updated_at, response.created_at),
        author_name=response.author_name,
        author_link=response.author_url or None,
        in_reply_to=in_reply_to,
    )


def feed_posts():
    """Published posts with what their items show, newest first, in three queries."""
    return (
        Post.objects.listed().prefetch_related("tags", "summaries").order_by("-published_at", "-id")
    )


def feed_comments():
    """Approved comments and replies on public, unprotected posts, newest first."""
    return (
        Response.objects.approved()
        .filter(
            kind__in=[Kind.COMMENT, Kind.REPLY],
            post__in=Post.objects.listed().filter(password=""),
        )
        .order_by("-created_at", "-id")
    )


def latest_comments(queryset, count):
    """The ``count`` newest responses of ``queryset``, ready for ``comment_entry``: two queries.

    The first picks the ids alone: sorting thousands of candidate rows is much cheaper when
    the rows are ids rather than whole comments joined to their posts (on SQLite, 20,000
    comments: about 6 times faster). The second loads those few rows with their post and
    parent, and never the commenters' e-mail or IP addresses.
    """
    ids = list(queryset.values_list("id", flat=True)[:count])
    if not ids:
        return []
    rows = (
        Response.objects.filter(pk__in=ids)
        .select_related("post", "parent")
        .defer(
            "author_email",
            "ip_address",
            "user_agent",
            "post__body",
            "post__body_html",
            "parent__author_email",
            "parent__ip_address",
            "parent__user_agent",
            "parent__content",
            "parent__content_html",
        )
    )
    by_id = {response.pk: response for response in rows}
    return [by_id[pk] for pk in ids if pk in by_id]
