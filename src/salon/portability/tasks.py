"""Background work after an import. Tasks take the source site's key, not objects."""

import logging

from django.db import transaction
from django_tasks import task

from salon import languages
from salon.conversations.models import Origin, Response

from . import media
from .bulk import update_rows
from .content import plain_text
from .models import ImportedItem, WordPressType

logger = logging.getLogger("salon.portability")

CHUNK = 2000
# lingua's time grows with the text; the first few sentences tell French from English as well
# as the whole comment does.
SAMPLE = 300


def detect_comment_languages_after_commit(source_site):
    """Queue the language detection of an import's comments once its transaction commits."""
    transaction.on_commit(lambda: detect_comment_languages.enqueue(source_site))


def fetch_media_after_commit(source_site, media_source):
    """Queue the download of an import's attachments once its transaction commits (at once
    outside a transaction)."""
    transaction.on_commit(lambda: fetch_media.enqueue(source_site, media_source))


@task()
def detect_comment_languages(source_site):
    """Detect the language of the comments an import brought, a chunk per transaction.

    Done after the import rather than during it: lingua takes about 0.1 ms a comment, longer
    than writing it, and a chunk per transaction keeps the site writable meanwhile. Each chunk
    is detected on every core at once.
    """
    posts = ImportedItem.objects.filter(
        source_site=source_site, wp_type=WordPressType.POST, post__isnull=False
    ).values("post_id")
    ids = list(
        Response.objects.filter(post_id__in=posts, origin=Origin.IMPORT, language="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            responses = list(
                Response.objects.filter(pk__in=chunk, language="").only("id", "content")
            )
            found = languages.detect_languages(
                [plain_text(response.content)[:SAMPLE] for response in responses], default=""
            )
            changed = []
            for response, code in zip(responses, found, strict=True):
                if code:
                    response.language = code
                    changed.append(response)
            update_rows(Response, changed, ["language"])
            done += len(changed)
    logger.info("Detected the language of %s imported comments from %s.", done, source_site)
    return done


@task()
def fetch_media(source_site, media_source):
    """Copy or download an import's attachments into the media folder and point posts at them."""
    return media.fetch_all(source_site, media_source)
