"""Writing the whole site as a WordPress export (WXR 1.2) that WordPress's own importer reads.

The file is written as it is read from the database, a few hundred posts at a time, so memory
stays flat whatever the size of the blog. Where WordPress has a field, it is used (title,
slug, dates, status, password, sticky, comment status, tags, comments with their threading and
approval); what WordPress lacks travels in the places WordPress keeps for plugins:

- the language is a term of the ``language`` taxonomy, the one Polylang uses, and also the
  post's category (named in its language, “Français”), so that WordPress does not file every
  post under “Uncategorized”; Salon's importer reads such a category as the language;
- series are terms of the ``series`` taxonomy (as the Organize Series plugin names it), with
  the position in ``_salon_series_position``;
- summaries in other languages open the post, one paragraph each, marked with their language
  (``<p>[en] …</p>``), the convention Salon's importer reads back;
- the rest is post meta whose key starts with an underscore (hidden in WordPress's editor):
  ``_salon_translation_key``, ``_salon_source_name``, ``_salon_cover_credit``…

The body is wrapped in a Custom HTML block (``<!-- wp:html -->``): WordPress then shows it
exactly as Salon did, without adding paragraphs of its own, and a re-import gets it back as is.
"""

import re
from datetime import UTC
from email.utils import format_datetime
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from salon import languages
from salon.blog.models import Page, Post, Series, Status, Tag
from salon.blog.slugs import slug_from_title
from salon.conversations.models import Kind, Response, State
from salon.media.render import absolute_media_urls

WXR_NAMESPACE = "http://wordpress.org/export/1.2/"
CHUNK = 200

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STATUS = {Status.DRAFT: "draft", Status.SCHEDULED: "future", Status.PUBLISHED: "publish"}
APPROVED = {State.APPROVED: "1", State.PENDING: "0", State.SPAM: "spam"}


def wp_status(obj):
    """WordPress's status: a private published post is ``private`` there too; WordPress has no
    unlisted posts, so an unlisted one is ``publish`` (its address still works)."""
    if getattr(obj, "visibility", "") == "private" and obj.status != Status.DRAFT:
        return "private"
    return STATUS.get(obj.status, "draft")


def _clean(text):
    """Text without the characters XML forbids; ``None`` is empty, but 0 stays ``0``
    (WordPress writes ``<wp:menu_order>0</wp:menu_order>``, never an empty element)."""
    return _ILLEGAL_XML.sub("", "" if text is None else str(text))


def cdata(text):
    """Text as CDATA; a literal ``]]>`` is split across two sections, as WordPress does."""
    return "<![CDATA[" + _clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(text):
    return (
        _clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def wp_date(value, utc=False):
    if value is None:
        return "0000-00-00 00:00:00"
    value = value.astimezone(UTC) if utc else timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def rfc822(value):
    return format_datetime(value.astimezone(UTC), usegmt=True) if value else ""


def language_category(code):
    """(nicename, name) of the category a post in ``code`` is filed under: the language named
    in itself, with the slug WordPress would make of that name (“Français” → “francais”)."""
    name = languages.native_language_name(code)
    return slug_from_title(name) or code, name


def content_for(obj):
    """Summaries as marked paragraphs, then the body in a Custom HTML block."""
    parts = []
    for summary in sorted(obj.summaries.all(), key=lambda s: s.language):
        parts.append(
            "<!-- wp:paragraph -->\n"
            f"<p>{languages.marker(summary.language)} {escape(summary.text)}</p>\n"
            "<!-- /wp:paragraph -->"
        )
    # The media library's images and thumbnails by their full address: read elsewhere.
    body = absolute_media_urls(obj.body_html or "").strip()
    if body:
        parts.append(f"<!-- wp:html -->\n{body}\n<!-- /wp:html -->")
    return "\n\n".join(parts)


class WXRWriter:
    def __init__(self, out):
        self.out = out
        self.site_url = settings.SITE_URL
        self.author = "salon"

    def w(self, text):
        self.out.write(text)

    def element(self, name, value, use_cdata=False, indent="\t\t"):
        body = cdata(value) if use_cdata else escape(value)
        self.w(f"{indent}<{name}>{body}</{name}>\n")

    def meta(self, key, value, tag="wp:postmeta"):
        if value in (None, ""):
            return
        self.w(
            f"\t\t<{tag}>\n\t\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
            f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t</{tag}>\n"
        )

    def write(self):
        posts_top = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        pages_top = Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.page_offset = posts_top
        self.attachment_offset = posts_top + pages_top
        self.attachment_count = 0
        self._header()
        self._items(Post, "post")
        self._items(Page, "page")
        self.w("</channel>\n</rss>\n")

    def _header(self):
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if user is not None:
            self.author = user.get_username()
        now = timezone.now()
        self.w('<?xml version="1.0" encoding="UTF-8" ?>\n')
        self.w(
            f"<!-- This is a WordPress eXtended RSS file generated by Salon on "
            f"{now:%Y-%m-%d %H:%M}. WordPress's importer (Tools › Import › WordPress) "
            f"reads it; so does `salon import-wxr`. -->\n"
        )
        self.w(
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="{WXR_NAMESPACE}"\n>\n<channel>\n'
        )
        self.element("title", settings.SALON_SITE_NAME, indent="\t")
        self.element("link", self.site_url, indent="\t")
        self.element("description", "", indent="\t")
        self.element("pubDate", rfc822(now), indent="\t")
        self.element("language", languages.content_languages()[0], indent="\t")
        self.element("wp:wxr_version", "1.2", indent="\t")
        self.element("wp:base_site_url", self.site_url, indent="\t")
        self.element("wp:base_blog_url", self.site_url, indent="\t")
        self.w("\t<wp:author>\n")
        self.element("wp:author_id", "1")
        self.element("wp:author_login", self.author, use_cdata=True)
        self.element("wp:author_email", user.email if user else "", use_cdata=True)
        self.element(
            "wp:author_display_name",
            user.get_full_name() or self.author if user else settings.SALON_SITE_NAME,
            use_cdata=True,
        )
        self.element("wp:author_first_name", user.first_name if user else "", use_cdata=True)
        self.element("wp:author_last_name", user.last_name if user else "", use_cdata=True)
        self.w("\t</wp:author>\n")
        term_id = 0
        for code in languages.content_languages():
            term_id += 1
            nicename, name = language_category(code)
            self.w("\t<wp:category>\n")
            self.element("wp:term_id", term_id)
            self.element("wp:category_nicename", nicename, use_cdata=True)
            self.element("wp:category_parent", "", use_cdata=True)
            self.element("wp:cat_name", name, use_cdata=True)
            self.w("\t</wp:category>\n")
        for tag in Tag.objects.order_by("pk").iterator():
            term_id += 1
            self.w("\t<wp:tag>\n")
            self.element("wp:term_id", term_id)
            self.element("wp:tag_slug", tag.slug, use_cdata=True)
            self.element("wp:tag_name", tag.name, use_cdata=True)
            self.w("\t</wp:tag>\n")
        for series in Series.objects.order_by("pk"):
            term_id += 1
            self._term(term_id, "series", series.slug, series.title, series.description)
            self.meta("_salon_planned_length", series.planned_length or "", tag="wp:termmeta")
            self.w("\t</wp:term>\n")
        for code in languages.content_languages():
            term_id += 1
            self._term(term_id, "language", code, languages.native_language_name(code), "")
            self.w("\t</wp:term>\n")
        self.element("generator", "Salon", indent="\t")

    def _term(self, term_id, taxonomy, slug, name, description):
        self.w("\t<wp:term>\n")
        self.element("wp:term_id", term_id)
        self.element("wp:term_taxonomy", taxonomy, use_cdata=True)
        self.element("wp:term_slug", slug, use_cdata=True)
        self.element("wp:term_parent", "", use_cdata=True)
        self.element("wp:term_name", name, use_cdata=True)
        self.element("wp:term_description", description, use_cdata=True)

    def _wp_id(self, kind, pk):
        return pk if kind == "post" else self.page_offset + pk

    def _items(self, model, kind):
        ids = list(model.objects.order_by("published_at", "pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            queryset = model.objects.filter(pk__in=chunk).prefetch_related("summaries")
            if kind == "post":
                queryset = queryset.select_related("series").prefetch_related("tags")
            objects = {obj.pk: obj for obj in queryset}
            responses = {}
            if kind == "post":
                rows = Response.objects.filter(post_id__in=chunk).order_by(
                    "post_id", "created_at", "pk"
                )
                responses = {k: list(g) for k, g in groupby(rows, key=lambda r: r.post_id)}
            for pk in chunk:
                self._item(kind, objects[pk], responses.get(pk, []))

    def _item(self, kind, obj, responses):
        wp_id = self._wp_id(kind, obj.pk)
        cover_id = None
        if kind == "post" and obj.cover_url:
            self.attachment_count += 1
            cover_id = self.attachment_offset + self.attachment_count
            self._attachment(cover_id, wp_id, obj)
        self.w("\t<item>\n")
        self.element("title", obj.title, use_cdata=True)
        self.element("link", self.site_url + obj.get_absolute_url())
        self.element("pubDate", rfc822(obj.published_at))
        self.element("dc:creator", self.author, use_cdata=True)
        guid = f"{self.site_url}/?{'p' if kind == 'post' else 'page_id'}={wp_id}"
        self.w(f'\t\t<guid isPermaLink="false">{escape(guid)}</guid>\n')
        self.element("description", "")
        self.element("content:encoded", content_for(obj), use_cdata=True)
        self.element("excerpt:encoded", "", use_cdata=True)
        self.element("wp:post_id", wp_id)
        self.element("wp:post_date", wp_date(obj.published_at), use_cdata=True)
        self.element("wp:post_date_gmt", wp_date(obj.published_at, utc=True), use_cdata=True)
        self.element("wp:post_modified", wp_date(obj.updated_at), use_cdata=True)
        self.element("wp:post_modified_gmt", wp_date(obj.updated_at, utc=True), use_cdata=True)
        comments_open = getattr(obj, "comments_open", False)
        self.element("wp:comment_status", "open" if comments_open else "closed", use_cdata=True)
        self.element("wp:ping_status", "open" if comments_open else "closed", use_cdata=True)
        self.element("wp:post_name", obj.slug, use_cdata=True)
        self.element("wp:status", wp_status(obj), use_cdata=True)
        parent = self._wp_id("page", obj.parent_id) if kind == "page" and obj.parent_id else 0
        self.element("wp:post_parent", parent)
        self.element("wp:menu_order", getattr(obj, "menu_order", 0))
        self.element("wp:post_type", kind, use_cdata=True)
        self.element("wp:post_password", getattr(obj, "password", ""), use_cdata=True)
        self.element("wp:is_sticky", "1" if getattr(obj, "sticky", False) else "0")
        self.w(
            f'\t\t<category domain="language" nicename="{escape(obj.language)}">'
            f"{cdata(languages.native_language_name(obj.language))}</category>\n"
        )
        if kind == "post":
            nicename, name = language_category(obj.language)
            self.w(
                f'\t\t<category domain="category" nicename="{escape(nicename)}">'
                f"{cdata(name)}</category>\n"
            )
            for tag in sorted(obj.tags.all(), key=lambda t: t.slug):
                self.w(
                    f'\t\t<category domain="post_tag" nicename="{escape(tag.slug)}">'
                    f"{cdata(tag.name)}</category>\n"
                )
            if obj.series_id:
                self.w(
                    f'\t\t<category domain="series" nicename="{escape(obj.series.slug)}">'
                    f"{cdata(obj.series.title)}</category>\n"
                )
        self.meta("_salon_translation_key", str(obj.translation_key))
        if kind == "post":
            self.meta("_thumbnail_id", cover_id or "")
            self.meta("_salon_series_position", obj.series_position or "")
            self.meta("_salon_source_name", obj.source_name)
            self.meta("_salon_source_url", obj.source_url)
            self.meta("_salon_canonical_to_source", "1" if obj.canonical_to_source else "")
            self.meta("_salon_cover_alt", obj.cover_alt)
            self.meta("_salon_cover_credit", obj.cover_credit)
            self.meta("_salon_cover_licence", obj.cover_licence)
            self.meta("_salon_cover_licence_url", obj.cover_licence_url)
            self.meta("_salon_in_reply_to_url", obj.in_reply_to_url)
        else:
            self.meta("_salon_show_in_menu", "1" if obj.show_in_menu else "0")
        for response in responses:
            self._comment(response)
        self.w("\t</item>\n")

    def _attachment(self, wp_id, parent_id, post):
        url = post.cover_url
        if url.startswith("/"):
            url = self.site_url + url
        self.w("\t<item>\n")
        self.element("title", post.cover_alt or url.rsplit("/", 1)[-1], use_cdata=True)
        self.element("link", url)
        self.element("pubDate", rfc822(post.published_at))
        self.element("dc:creator", self.author, use_cdata=True)
        self.w(f'\t\t<guid isPermaLink="false">{escape(url)}</guid>\n')
        self.element("description", "")
        self.element("content:encoded", "", use_cdata=True)
        self.element("excerpt:encoded", post.cover_credit, use_cdata=True)
        self.element("wp:post_id", wp_id)
        self.element("wp:post_date", wp_date(post.published_at), use_cdata=True)
        self.element("wp:post_date_gmt", wp_date(post.published_at, utc=True), use_cdata=True)
        self.element("wp:comment_status", "closed", use_cdata=True)
        self.element("wp:ping_status", "closed", use_cdata=True)
        self.element("wp:post_name", f"cover-{post.slug}"[:200], use_cdata=True)
        self.element("wp:status", "inherit", use_cdata=True)
        self.element("wp:post_parent", parent_id)
        self.element("wp:menu_order", 0)
        self.element("wp:post_type", "attachment", use_cdata=True)
        self.element("wp:post_password", "", use_cdata=True)
        self.element("wp:is_sticky", "0")
        self.element("wp:attachment_url", url, use_cdata=True)
        self.meta("_wp_attachment_image_alt", post.cover_alt)
        self.w("\t</item>\n")

    def _comment(self, response):
        self.w("\t\t<wp:comment>\n")
        indent = "\t\t\t"
        self.element("wp:comment_id", response.pk, indent=indent)
        self.element("wp:comment_author", response.author_name, use_cdata=True, indent=indent)
        self.element(
            "wp:comment_author_email", response.author_email, use_cdata=True, indent=indent
        )
        self.element("wp:comment_author_url", response.author_url, indent=indent)
        self.element(
            "wp:comment_author_IP", response.ip_address or "", use_cdata=True, indent=indent
        )
        self.element("wp:comment_date", wp_date(response.created_at), use_cdata=True, indent=indent)
        self.element(
            "wp:comment_date_gmt",
            wp_date(response.created_at, utc=True),
            use_cdata=True,
            indent=indent,
        )
        self.element("wp:comment_content", response.content, use_cdata=True, indent=indent)
        self.element(
            "wp:comment_approved", APPROVED.get(response.state, "0"), use_cdata=True, indent=indent
        )
        comment_type = "comment" if response.kind == Kind.COMMENT else "webmention"
        self.element("wp:comment_type", comment_type, use_cdata=True, indent=indent)
        self.element("wp:comment_parent", response.parent_id or 0, indent=indent)
        self.element("wp:comment_user_id", 0, indent=indent)
        for key, value in (
            ("_salon_kind", response.kind),
            ("_salon_language", response.language),
            ("_salon_source_url", response.source_url),
            ("_salon_author_photo", response.author_photo),
        ):
            if value:
                self.w(
                    f"{indent}<wp:commentmeta>\n{indent}\t<wp:meta_key>{cdata(key)}"
                    f"</wp:meta_key>\n{indent}\t<wp:meta_value>{cdata(value)}</wp:meta_value>"
                    f"\n{indent}</wp:commentmeta>\n"
                )
        self.w("\t\t</wp:comment>\n")


def export_wxr(out):
    """Write the whole site as WXR 1.2 to the text stream ``out``."""
    WXRWriter(out).write()
