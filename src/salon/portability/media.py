"""Bringing an imported blog's media home (``salon import-wxr --media DIR|URL``).

An import keeps images and files where they were (their original URLs). With ``--media``, a
task run after the import copies them from ``DIR`` (a copy of WordPress's ``wp-content/uploads``)
or downloads them from ``URL`` (where that folder is still served), through ``salon.net``, into
``MEDIA_ROOT/wordpress/``, then rewrites the posts' and pages' references and featured images.
A file that cannot be had is logged and left at its old address: media never block an import.
"""

import logging
import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.db import transaction

from salon import net
from salon.blog.models import Page, Post

from .models import ImportedItem, WordPressType

logger = logging.getLogger("salon.portability")

MAX_BYTES = 100 * 1024 * 1024
_URL = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")


def relative_path(url):
    """Where an attachment lives below the uploads folder: ``2016/08/photo.jpg``."""
    path = unquote(urlsplit(url).path)
    if "/uploads/" in path:
        path = path.split("/uploads/", 1)[1]
    parts = [p for p in PurePosixPath(path.lstrip("/")).parts if p not in ("", ".", "..")]
    if not parts:
        return None
    safe = [re.sub(r"[^\w.@+-]", "_", part) for part in parts]
    return "/".join(safe)


def media_url(relative):
    base = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL
    return f"{settings.SITE_URL}{base.rstrip('/')}/wordpress/{relative}"


def _get(media_source, relative, destination):
    if re.match(r"^https?://", media_source):
        url = urljoin(media_source.rstrip("/") + "/", relative)
        result = net.fetch(url, max_bytes=MAX_BYTES, timeout=30)
        if result.status_code != 200:
            raise net.FetchError(f"HTTP {result.status_code}", url)
        destination.write_bytes(result.content)
    else:
        source = Path(media_source) / relative
        if not source.is_file():
            raise FileNotFoundError(str(source))
        shutil.copyfile(source, destination)


def fetch_all(source_site, media_source):
    moved, failed = {}, 0
    root = Path(settings.MEDIA_ROOT) / "wordpress"
    rows = ImportedItem.objects.filter(source_site=source_site, wp_type=WordPressType.ATTACHMENT)
    for row in rows.iterator():
        relative = relative_path(row.url) if row.url else None
        if not relative:
            continue
        destination = root / relative
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.exists():
                _get(media_source, relative, destination)
        except (OSError, net.FetchError) as error:
            failed += 1
            logger.warning("Could not bring %s home: %s", row.url, error)
            continue
        new = media_url(relative)
        moved[row.url] = new
        if row.url.startswith("http"):
            moved[row.url.split(":", 1)[1]] = new  # the same file written as //host/path
        row.original = {**row.original, "local_url": new}
        row.save(update_fields=["original"])
    if moved:
        _rewrite(source_site, moved)
    logger.info(
        "Media of %s: %s brought home, %s left where they were.",
        source_site,
        len({v for v in moved.values()}),
        failed,
    )
    return {"moved": len(set(moved.values())), "failed": failed}


def _rewrite(source_site, moved):
    def replace(match):
        url = match.group(0)
        for other in (
            url,
            url.replace("http://", "https://", 1),
            url.replace("https://", "http://", 1),
        ):
            if other in moved:
                return moved[other]
        return url

    for wp_type, model, field in (
        (WordPressType.POST, Post, "post_id"),
        (WordPressType.PAGE, Page, "page_id"),
    ):
        ids = list(
            ImportedItem.objects.filter(source_site=source_site, wp_type=wp_type)
            .exclude(**{field: None})
            .values_list(field, flat=True)
        )
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                changed = []
                for obj in model.objects.filter(pk__in=ids[start : start + 500]):
                    body = _URL.sub(replace, obj.body)
                    cover = getattr(obj, "cover_image_url", None)
                    new_cover = moved.get(cover, cover) if cover else cover
                    if body != obj.body or new_cover != cover:
                        obj.body = obj.body_html = body
                        if cover is not None:
                            obj.cover_image_url = new_cover
                        changed.append(obj)
                fields = ["body", "body_html"] + (["cover_image_url"] if model is Post else [])
                model.objects.bulk_update(changed, fields)
