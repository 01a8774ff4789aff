"""Background work of the media library; every task takes ids and is enqueued after the commit.

The only module of the app that enqueues (``tests/test_import_graph.py``): ``embeds.discover``
makes one attempt and returns an ``outbox.Outcome``; the tasks here schedule what follows.
"""

from django_tasks import task

from salon import outbox
from salon.blog.models import Page, Post

from . import embeds, library
from .models import Image
from .scan import lone_urls

BATCH = 200


@task()
def find_embeds(post_ids, page_ids=()):
    """Note the lone links of these posts and pages, and discover the new ones, each in its
    own task."""
    urls = []
    for model, ids in ((Post, post_ids), (Page, page_ids)):
        for body in model.objects.filter(pk__in=list(ids), body_format="markdown").values_list(
            "body", flat=True
        ):
            urls.extend(u for u in lone_urls(body) if u not in urls)
    due = embeds.note_lone_urls(urls) if urls else []
    for embed_id in due:
        discover_embed.enqueue(embed_id)
    return len(due)


@task()
def discover_embed(embed_id):
    """One discovery attempt for one embed; a temporary failure is tried again at its time
    when the backend can wait (else ``salon discover-embeds`` does it once due)."""
    outcome = embeds.discover(embed_id)
    outbox.retry_later(discover_embed, outcome, embed_id)
    return str(outcome)


@task()
def rerender_uses(image_id):
    """Render again the posts and pages showing an image whose caption or description
    changed."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0
    posts, pages = library.texts_using(image)
    changed = library.rerender(
        posts.values_list("pk", flat=True), pages.values_list("pk", flat=True)
    )
    return len(changed["post_ids"]) + len(changed["page_ids"])


def find_embeds_later(post_ids, page_ids=()):
    """Look for lone links in these texts in tasks, after the commit."""
    post_ids, page_ids = sorted(post_ids), sorted(page_ids)
    for start in range(0, max(len(post_ids), len(page_ids)), BATCH):
        outbox.enqueue_at(
            find_embeds, None, post_ids[start : start + BATCH], page_ids[start : start + BATCH]
        )


def discover_later(embed_ids):
    """Look these embeds up, each in its own task, after the commit."""
    for embed_id in embed_ids:
        outbox.enqueue_at(discover_embed, None, embed_id)


def rerender_uses_later(image_id):
    outbox.enqueue_at(rerender_uses, None, image_id)
