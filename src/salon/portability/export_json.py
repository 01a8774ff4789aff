"""The whole site as one JSON document, for people who want to script (``salon export-json``).

The shape is documented in docs/design/portability.md (the command's help points there); ``format`` and
``version`` say which shape a file has. The document is written as it is read, a few hundred
posts at a time, so memory stays flat; it is still one valid JSON document.
"""

import json
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from salon import languages
from salon.blog.models import Page, Post, Redirect, Series, Tag
from salon.conversations.models import Response, Subscriber
from salon.federation import export as federation_export
from salon.media.library import export_images

FORMAT = "salon-export"
VERSION = 2  # 2: created_at, updated_at of responses, cover file, redirect targets by id,
# subscribers; ``salon import-json`` reads 1 and 2. (Each post's and page's ``images``, the media
# library's images its body shows, was added later within version 2: readers ignore it.)
CHUNK = 200


def _date(value):
    return value.isoformat() if value else None


def _summaries(obj):
    return {s.language: s.text for s in sorted(obj.summaries.all(), key=lambda s: s.language)}


def _response(r):
    return {
        "id": r.pk,
        "parent": r.parent_id,
        "kind": r.kind,
        "origin": r.origin,
        "by_author": r.by_author,
        "state": r.state,
        "author": {
            "name": r.author_name,
            "email": r.author_email,
            "url": r.author_url,
            "photo": r.author_photo,
        },
        "content": r.content,
        "content_html": r.content_html,
        "language": r.language or None,
        "source_url": r.source_url,
        "checks": r.checks,
        "created_at": _date(r.created_at),
        "updated_at": _date(r.updated_at),
    }


def _publishable(p):
    """What posts and pages share (blog's Publishable): a text in one language, its state,
    dates, translation key and summaries."""
    return {
        "id": p.pk,
        "title": p.title,
        "slug": p.slug,
        "url": settings.SITE_URL + p.get_absolute_url(),
        "language": p.language,
        "status": p.status,
        "published_at": _date(p.published_at),
        "created_at": _date(p.created_at),
        "updated_at": _date(p.updated_at),
        "translation_key": str(p.translation_key),
        "summaries": _summaries(p),
        "body": p.body,
        "body_format": p.body_format,
        "body_html": p.body_html,
        "images": export_images(p.body) if p.body_format == "markdown" else [],
    }


def _post(p, responses):
    return {
        **_publishable(p),
        "tags": sorted(t.slug for t in p.tags.all()),
        "series": {"slug": p.series.slug, "position": p.series_position} if p.series_id else None,
        "visibility": p.visibility,
        "sticky": p.sticky,
        "comments_open": p.comments_open,
        "password": p.password,
        "in_reply_to_url": p.in_reply_to_url,
        "cover": _cover(p),
        "source": {"name": p.source_name, "url": p.source_url, "canonical": p.canonical_to_source}
        if p.source_url or p.source_name
        else None,
        "responses": [_response(r) for r in responses],
    }


def _cover(p):
    """What readers see (``url``), and where it is kept: an uploaded ``file`` (its name in the
    media folder, which the export does not carry) and/or an ``image_url`` left where it is."""
    if not (p.cover_url or p.cover_alt or p.cover_credit or p.cover_licence or p.cover_licence_url):
        return None
    return {
        "url": (settings.SITE_URL + p.cover_url) if p.cover_url.startswith("/") else p.cover_url,
        "file": p.cover_image.name or None,
        "image_url": p.cover_image_url,
        "alt": p.cover_alt,
        "credit": p.cover_credit,
        "licence": p.cover_licence,
        "licence_url": p.cover_licence_url,
    }


def _redirect(r):
    return {
        "old_path": r.old_path,
        "target": r.target(),
        "post": r.post_id,
        "page": r.page_id,
        "new_path": r.new_path,
    }


def _subscribers():
    """Readers who asked for follow-ups by mail, with what they follow (post and response ids
    of this document)."""
    for s in Subscriber.objects.order_by("pk").prefetch_related("subscriptions"):
        yield {
            "id": s.pk,
            "email": s.email,
            "confirmed_at": _date(s.confirmed_at),
            "created_at": _date(s.created_at),
            "subscriptions": [
                {
                    "post": x.post_id,
                    "response": x.response_id,
                    "scope": x.scope,
                    "language": x.language,
                    "active": x.active,
                    "created_at": _date(x.created_at),
                }
                for x in sorted(s.subscriptions.all(), key=lambda x: x.pk)
            ],
        }


def _page(p):
    return {
        **_publishable(p),
        "parent": p.parent_id,
        "menu_order": p.menu_order,
        "show_in_menu": p.show_in_menu,
    }


def _dump(value):
    return json.dumps(value, ensure_ascii=False, indent=None, separators=(", ", ": "))


def _list(out, name, objects, last=False):
    out.write(f'  "{name}": [')
    first = True
    for obj in objects:
        out.write("\n    " if first else ",\n    ")
        out.write(_dump(obj))
        first = False
    out.write("\n  ]" if not first else "]")
    out.write("\n" if last else ",\n")


def _posts():
    ids = list(Post.objects.order_by("published_at", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        posts = {
            p.pk: p
            for p in Post.objects.filter(pk__in=chunk)
            .select_related("series")
            .prefetch_related("tags", "summaries")
        }
        rows = Response.objects.filter(post_id__in=chunk).order_by("post_id", "created_at", "pk")
        responses = {k: list(g) for k, g in groupby(rows, key=lambda r: r.post_id)}
        for pk in chunk:
            yield _post(posts[pk], responses.get(pk, []))


def export_json(out):
    """Write the whole site as one JSON document to the text stream ``out``."""
    out.write("{\n")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _date(timezone.now()),
        "site": {
            "name": settings.SALON_SITE_NAME,
            "url": settings.SITE_URL,
            "languages": languages.content_languages(),
        },
    }
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {_dump(value)},\n")
    _list(
        out,
        "tags",
        ({"id": t.pk, "name": t.name, "slug": t.slug} for t in Tag.objects.order_by("name")),
    )
    _list(
        out,
        "series",
        (
            {
                "id": s.pk,
                "title": s.title,
                "slug": s.slug,
                "description": s.description,
                "planned_length": s.planned_length,
            }
            for s in Series.objects.order_by("title")
        ),
    )
    _list(out, "posts", _posts())
    _list(
        out,
        "pages",
        (
            _page(p)
            for p in Page.objects.order_by("menu_order", "title").prefetch_related("summaries")
        ),
    )
    _list(
        out,
        "redirects",
        (
            _redirect(r)
            for r in Redirect.objects.select_related("post", "page")
            .order_by("old_path")
            .iterator(chunk_size=1000)
        ),
    )
    _list(out, "subscribers", _subscribers())
    # The fediverse accounts following the blog (read back by nothing: a new server's
    # followers must follow it again; the backup keeps them with the keys).
    _list(out, "followers", federation_export.followers(), last=True)
    out.write("}\n")
