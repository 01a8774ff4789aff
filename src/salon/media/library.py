"""The media library's services: storing an upload, what a body lacks, covers, re-rendering.

The studio (and any other app) uses these functions, all re-exported by ``salon.media``:

- ``store_upload(uploaded_file) -> Image``: read, clean and store an upload (``RefusedImage``
  with the reason when it is not accepted; nothing is left behind then);
- ``missing_alt_text(body) -> [Image]``: the library images of a Markdown body that have no
  description, neither in the body (``![description](…)``) nor in the library;
- ``set_cover(post, image)``: make a library image the post's cover (not saved);
- ``texts_using(image)``: the posts and pages whose body shows an image;
- ``export_images(body)``: the records the JSON export carries for a body's library images.
"""

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from salon.blog.models import Page, Post
from salon.blog.rendering import render_body
from salon.blog.signals import mark_changed

from .models import Image, media_url
from .processing import RefusedImage, check_size, read_image, renditions
from .scan import images_in

__all__ = ["RefusedImage", "missing_alt_text", "set_cover", "store_upload", "texts_using"]


def _root():
    return Path(settings.MEDIA_ROOT)


def _new_folder():
    """A new, empty folder ``images/<key>`` that no other upload can have: the key is 128
    random bits and the folder is made with ``exist_ok=False``."""
    (_root() / "images").mkdir(parents=True, exist_ok=True)
    while True:
        key = secrets.token_hex(16)
        try:
            (_root() / "images" / key).mkdir()
        except FileExistsError:
            continue
        return key


def store_upload(uploaded, *, alt_text="", credit=""):
    """Store an uploaded file (a Django ``UploadedFile``, or anything with ``read()`` and
    ``name``) as a library image with its renditions; RefusedImage when it is not accepted.
    Either everything is stored (files and row) or nothing is."""
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is not None:
        check_size(size)  # before reading a file too large to be accepted
    data = uploaded.read()
    image = read_image(data, name)
    files = renditions(image)
    key = _new_folder()
    folder = _root() / "images" / key
    try:
        for filename, _w, _h, _fmt, content in files:
            (folder / filename).write_bytes(content)
        original = files[0]
        with transaction.atomic():
            return Image.objects.create(
                key=key,
                original=f"images/{key}/{original[0]}",
                original_name=Path(name).name[:255],
                width=original[1],
                height=original[2],
                renditions=[
                    {"width": w, "height": h, "format": fmt, "name": f"images/{key}/{filename}"}
                    for filename, w, h, fmt, _content in files[1:]
                ],
                alt_text=alt_text[:500],
                credit=credit[:300],
            )
    except Exception:
        # A full disk, a busy database...: the folder goes, the error goes on.
        shutil.rmtree(folder, ignore_errors=True)
        raise


def delete_files(image):
    """Remove an image's folder (after its row is deleted)."""
    if image.key and len(image.key) == 32:
        shutil.rmtree(_root() / "images" / image.key, ignore_errors=True)


def library_images(body):
    """``[(FoundImage, Image or None)]`` for the library addresses a body shows (one query)."""
    found = images_in(body)
    if not found:
        return []
    by_key = {i.key: i for i in Image.objects.filter(key__in={f.key for f in found})}
    return [(f, by_key.get(f.key)) for f in found]


def missing_alt_text(body):
    """The library images a Markdown body shows without a description: the body's own
    (``![…](…)``) is empty and so is the library's. Each image once, in order of appearance.
    The studio refuses to publish while this list is not empty."""
    missing = []
    for found, image in library_images(body):
        if image is None or found.alt.strip() or image.alt_text.strip():
            continue
        if image not in missing:
            missing.append(image)
    return missing


def export_images(body):
    """What the exports say of the library images a body shows: absolute addresses (the
    full-size image and each rendition), description, credit, source and licence."""
    records = []
    for found, image in library_images(body):
        if image is None or any(r["key"] == image.key for r in records):
            continue
        licence_name, licence_url = image.licence_name_and_url
        records.append(
            {
                "key": image.key,
                "url": settings.SITE_URL + image.url,
                "width": image.width,
                "height": image.height,
                "renditions": [
                    {
                        "url": settings.SITE_URL + media_url(r["name"]),
                        "width": r["width"],
                        "format": r["format"],
                    }
                    for r in image.renditions
                ],
                "alt": found.alt or image.alt_text,
                "credit": image.credit,
                "source_url": image.source_url,
                "licence": licence_name,
                "licence_url": licence_url,
            }
        )
    return records


def set_cover(post, image):
    """Make ``image`` the cover of ``post`` (its largest fallback rendition, its description,
    credit and licence); the caller saves the post."""
    largest = image.renditions_in(image.fallback_format)
    post.cover_image.name = largest[-1]["name"] if largest else image.original
    post.cover_image_url = ""
    post.cover_alt = image.alt_text
    post.cover_credit = image.credit
    name, url = image.licence_name_and_url
    post.cover_licence = name
    post.cover_licence_url = url
    return post


def texts_using(image):
    """(posts, pages) whose Markdown body shows ``image``."""
    needle = f"/images/{image.key}/"
    return (
        Post.objects.filter(body__contains=needle, body_format="markdown"),
        Page.objects.filter(body__contains=needle, body_format="markdown"),
    )


def rerender(post_ids=(), page_ids=()):
    """Render these posts' and pages' bodies again (what the library or an embed shows in them
    changed) and announce them through ``posts_changed``; nothing else of them is touched."""
    with transaction.atomic():
        changed = {"post_ids": [], "page_ids": []}
        for model, ids, field in ((Post, post_ids, "post_ids"), (Page, page_ids, "page_ids")):
            for text in model.objects.filter(pk__in=list(ids)).only(
                "pk", "body", "body_format", "language", "body_html"
            ):
                html = render_body(text.body, text.body_format, text.language)
                if html != text.body_html:
                    model.objects.filter(pk=text.pk).update(body_html=html)
                    changed[field].append(text.pk)
        if changed["post_ids"] or changed["page_ids"]:
            mark_changed(**changed)
    return changed
