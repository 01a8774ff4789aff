"""Reply posts: the context of the post answered, and the author's conversations elsewhere."""

import logging
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from salon import net, outbox
from salon.blog.models import Post
from salon.conversations.models import Response

from . import conf, documents, microformats
from .models import ReplyContext, SentWebmention
from .sending import BACKOFF

logger = logging.getLogger("salon.webmention")


def refresh_context(post_id):
    """Fetch the post that ``post_id`` replies to and store what a reader needs to see of it.

    A first attempt (the post was saved, or the author asked): the count of attempts starts
    again. A temporary failure leaves the context waiting for ``retry_context`` at its
    ``next_attempt_at``, after the delays of Webmention sending. Returns an ``outbox.Outcome``
    whose ``state`` is ``fetched``, ``retrying``, ``failed``, or ``gone`` / ``none`` (no post,
    or no longer a reply)."""
    post = Post.objects.filter(pk=post_id).only("pk", "in_reply_to_url").first()
    if post is None:
        return outbox.Outcome.skipped("gone")
    url = (post.in_reply_to_url or "").strip()
    if not url:
        ReplyContext.objects.filter(post_id=post_id).delete()
        return outbox.Outcome.skipped("none")
    context = ReplyContext.objects.filter(post_id=post_id).first() or ReplyContext(post_id=post_id)
    if context.url != url:
        # A different original: forget what was known of the previous one.
        context = ReplyContext(pk=context.pk, post_id=post_id)
    context.url = url
    context.attempts = 0
    return _attempt(context)


def retry_context(post_id, now=None):
    """Another attempt at a context that failed, once its ``next_attempt_at`` has come; a
    context read since (or given up, or whose post changed its original) is left alone
    (``state`` ``"not due"``)."""
    now = now or timezone.now()
    context = ReplyContext.objects.select_related("post").filter(post_id=post_id).first()
    if context is None or not context.is_retrying:
        return outbox.Outcome.skipped("not due")
    if context.next_attempt_at > now + RETRY_EARLY or context.post.in_reply_to_url != context.url:
        return outbox.Outcome.skipped("not due")
    return _attempt(context)


# A deferred task may start a little before its time (clocks of the worker and the database).
RETRY_EARLY = timedelta(seconds=5)


def _attempt(context):
    context.attempts += 1
    context.fetched_at = timezone.now()
    context.next_attempt_at = None
    try:
        result = net.fetch(
            context.url,
            headers={"Accept": "text/html, application/xhtml+xml;q=0.9"},
            timeout=conf.FETCH_TIMEOUT,
            max_bytes=conf.FETCH_MAX_BYTES,
            max_redirects=conf.FETCH_MAX_REDIRECTS,
        )
    except net.FetchError as error:
        return _failed(context, error.reason, temporary=True)
    if result.status_code >= 400:
        # Like Webmention sending: the server busy or down may answer later; another
        # client error is the original's final word (until the post is saved again).
        temporary = result.status_code in (408, 429) or result.status_code >= 500
        return _failed(context, f"HTTP {result.status_code}", temporary=temporary)
    if not documents.is_html(result):
        return _failed(context, f"not HTML ({result.content_type or 'no content type'})")
    document = documents.parse_document(result)  # parsed once, for mf2py and the metadata
    parsed = microformats.parse(document if document is not None else "", result.url)
    cite = microformats.cite_of(parsed, result.url, document)
    context.title = cite.title[:300]
    context.author_name = cite.author.name[:200]
    context.author_url = _http_url(cite.author.url, 500)
    context.author_photo = _http_url(cite.author.photo, 500)
    context.excerpt = cite.excerpt
    context.language = cite.language[:12]
    context.published = cite.published
    context.error = ""
    context.save()
    return outbox.Outcome.sent("fetched")


def _failed(context, error, temporary=False):
    """Keep what was read before, note the error, and set the next attempt when there is one:
    after the last delay of ``BACKOFF`` (Webmention sending's) the context is given up."""
    outcome = BACKOFF.failed(
        context.attempts, error, temporary=temporary, retry_state="retrying", give_up_state="failed"
    )
    context.error = outcome.error
    context.next_attempt_at = outcome.retry_at
    context.save()
    return outcome


def _http_url(url, limit):
    url = (url or "").strip()
    return url if url.startswith(("http://", "https://")) and len(url) <= limit else ""


def conversations():
    """The author's replies elsewhere, each with its context, delivery and responses received,
    newest activity first (the later of the reply's date and its latest response)."""
    posts = list(
        Post.objects.exclude(in_reply_to_url="")
        .select_related("reply_context")
        .annotate(last_response_at=Max("responses__created_at"))
    )
    if not posts:
        return []
    ids = [post.pk for post in posts]
    responses = {}
    for response in Response.objects.filter(post_id__in=ids).order_by("-created_at", "-id"):
        responses.setdefault(response.post_id, []).append(response)
    deliveries = {}
    for row in SentWebmention.objects.filter(post_id__in=ids):
        deliveries.setdefault(row.post_id, {})[documents.normalise_url(row.target)] = row
    items = []
    floor = timezone.make_aware(datetime(1970, 1, 1))
    for post in posts:
        context = getattr(post, "reply_context", None)
        activity = max(post.published_at, post.updated_at, post.last_response_at or floor)
        items.append(
            {
                "post": post,
                "context": context,
                "delivery": deliveries.get(post.pk, {}).get(
                    documents.normalise_url(post.in_reply_to_url)
                ),
                "responses": responses.get(post.pk, []),
                "activity": activity,
            }
        )
    items.sort(key=lambda item: (item["activity"], item["post"].pk), reverse=True)
    return items
