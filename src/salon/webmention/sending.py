"""Sending Webmentions: which links a post has, one delivery row per link, one attempt.

``plan(post_id)`` compares the post's links now with the rows of earlier deliveries: every link
of a public post gets a delivery when the post changed since it was last sent; a link that was
removed (or every link, when the post was unpublished or deleted) gets one last delivery so the
receiver re-reads the source and removes what it showed. ``plan_answer(answer_id)`` makes the
delivery that carries the author's answer to a Webmention back to its source, and
``plan_answer_deleted(answer)`` its last one when the answer is deleted. ``deliver(row_id)`` makes one attempt:
discovery, then the POST, and returns an ``outbox.Outcome``; ``tasks.py`` enqueues the retry of
a temporary failure, after the delays of ``BACKOFF``.
"""

import hashlib
import logging
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils import timezone

from salon import net, outbox
from salon.blog.models import Post
from salon.conversations.models import Origin, Response, State

from . import conf, discovery, documents
from .models import SentState, SentWebmention

logger = logging.getLogger("salon.webmention")

ANSWER_CHARS = 500

# Retries of a delivery (and of a reply context): the delays of ``conf.RETRY_DELAYS``, then give up.
BACKOFF = outbox.Backoff(conf.RETRY_DELAYS)

# Final states of a delivery: an attempt on such a row does nothing.
SETTLED = {
    SentState.SENT: outbox.SENT,
    SentState.NO_ENDPOINT: outbox.SENT,
    SentState.FAILED: outbox.GIVE_UP,
}


def source_url(post):
    return conf.site_url() + post.get_absolute_url()


def is_announced(post):
    """Whether the post's links are announced: listed (public, not unlisted or private) and
    not behind a password. An unlisted post does not tell the pages it links to."""
    return post.is_listed and not post.password


def outgoing_links(post):
    """The external http(s) URLs a post links to, in order, each once: its body's links and
    the post it replies to."""
    if not is_announced(post):
        return []
    base = source_url(post)
    tree = documents.parse_html_bytes((post.body_html or "").encode(), "utf-8")
    candidates = []
    if post.in_reply_to_url:
        candidates.append(post.in_reply_to_url.strip())
    if tree is not None:
        for element in tree.iter("a"):
            href = (element.get("href") or "").strip()
            if href:
                try:
                    candidates.append(urljoin(base, href))
                except ValueError:
                    continue
    links, seen = [], set()
    own = conf.site_netloc()
    for url in candidates:
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if parts.netloc.lower() == own or len(url) > 1000:
            continue
        key = documents.normalise_url(url)
        if key not in seen:
            seen.add(key)
            links.append(url)
    return links


def version_of(post):
    """A digest of what a receiver shows of the post; a save that changes none of it (a tag,
    the sticky flag) does not send again."""
    parts = [
        post.title,
        post.body_html,
        post.status,
        post.published_at.isoformat(),
        post.in_reply_to_url,
        post.language,
        bool(post.password),
        source_url(post),
    ]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def plan(post_id, force=False):
    """Create or update the delivery rows of a post; return the ids of those to send now."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return []
    links = outgoing_links(post)
    version = version_of(post) if links else "withdrawn"
    source = source_url(post)
    to_send = []
    with transaction.atomic():
        # The post's own links; the author's answers have rows of their own (``plan_answer``).
        rows = {
            row.target: row for row in SentWebmention.objects.filter(post=post, for_answer=False)
        }
        for target in links:
            row = rows.pop(target, None)
            if row is None:
                row = SentWebmention.objects.create(post=post, source=source, target=target)
            elif row.sent_hash == version and row.in_post and row.source == source and not force:
                continue
            row.in_post = True
            _reset(row, source, version)
            to_send.append(row.pk)
        for row in rows.values():
            if not row.in_post and row.sent_hash == "withdrawn" and not force:
                continue  # already told the link is gone
            if row.state == SentState.NO_ENDPOINT and not row.in_post:
                continue
            row.in_post = False
            _reset(row, row.source, "withdrawn")
            to_send.append(row.pk)
    return to_send


def plan_deleted(post):
    """Rows for a post about to be deleted: every link it had gets one last delivery."""
    source = source_url(post)
    targets = set()
    to_send = []
    for row in SentWebmention.objects.filter(post=post):
        targets.add(row.target)
        if row.state == SentState.NO_ENDPOINT and not row.in_post:
            continue
        row.in_post = False
        _reset(row, row.source, "deleted")
        to_send.append(row.pk)
    for target in outgoing_links(post):
        if target not in targets:
            row = SentWebmention.objects.create(
                post=post, source=source, target=target, in_post=False, sent_hash="deleted"
            )
            to_send.append(row.pk)
    return to_send


def answer_source(answer):
    """Where the author's answer lives: its place on the post page (``…/slug/#response-12``),
    an ``h-entry`` whose ``u-in-reply-to`` is the response it answers."""
    return conf.site_url() + answer.get_absolute_url()


def plan_answer(answer_id):
    """The delivery that carries the author's answer back to the Webmention it answers: source
    the answer's place on the post page, target the response's source. Returns the row's id, or
    None when there is nothing to send (no such answer, an answer to another door, a post that
    is not public)."""
    answer = (
        Response.objects.select_related("post", "parent")
        .filter(pk=answer_id, by_author=True, state=State.APPROVED)
        .first()
    )
    if answer is None or answer.parent is None or not is_announced(answer.post):
        return None
    parent = answer.parent
    target = (parent.source_url or "").strip()
    if parent.origin != Origin.WEBMENTION or not target.startswith(("http://", "https://")):
        return None
    row, _created = SentWebmention.objects.update_or_create(
        author_answer=answer,
        defaults={
            "post": answer.post,
            "source": answer_source(answer),
            "target": target,
            "for_answer": True,
        },
    )
    _reset(row, row.source, "answer")
    return row.pk


def plan_answer_deleted(answer):
    """For an answer about to be deleted: its delivery gets one last Webmention, so the source
    re-reads the page and removes the answer it showed. Returns the ids to send."""
    ids = []
    for row in SentWebmention.objects.filter(author_answer=answer):
        if row.state == SentState.NO_ENDPOINT:
            continue
        _reset(row, row.source, "deleted")
        ids.append(row.pk)
    return ids


def _reset(row, source, version):
    row.source = source
    row.sent_hash = version
    row.state = SentState.PENDING
    row.attempts = 0
    row.next_attempt_at = None
    row.error = ""
    row.save()


def deliver(row_id):
    """One attempt at one delivery; returns its ``outbox.Outcome``, whose ``state`` is the
    row's new state (``"gone"`` for a row deleted since)."""
    row = SentWebmention.objects.filter(pk=row_id).first()
    if row is None:
        return outbox.Outcome.skipped("gone")
    if row.state in SETTLED:
        return outbox.Outcome.skipped(row.state)
    row.attempts += 1
    row.last_attempt_at = timezone.now()
    row.next_attempt_at = None
    try:
        found = discovery.discover(row.target)
    except net.FetchError as error:
        return _failed(row, f"discovery: {error.reason}")
    if found.endpoint is None:
        if found.status_code >= 500:
            return _failed(row, f"discovery: the target answered HTTP {found.status_code}")
        row.state = SentState.NO_ENDPOINT
        row.endpoint = ""
        row.error = ""
        row.save()
        return outbox.Outcome.sent(row.state)
    row.endpoint = found.endpoint
    try:
        answer = net.fetch(
            found.endpoint,
            method="POST",
            data={"source": row.source, "target": row.target},
            headers={"Accept": "*/*"},
            timeout=conf.FETCH_TIMEOUT,
            max_bytes=conf.FETCH_MAX_BYTES,
            max_redirects=conf.FETCH_MAX_REDIRECTS,
        )
    except net.FetchError as error:
        return _failed(row, f"sending: {error.reason}")
    row.status_code = answer.status_code
    row.answer = " ".join(answer.text.split())[:ANSWER_CHARS]
    location = answer.headers.get("location", "").strip()
    row.location = urljoin(answer.url, location)[:1000] if location else ""
    if 200 <= answer.status_code < 300:
        row.state = SentState.SENT
        row.error = ""
        row.save()
        return outbox.Outcome.sent(row.state)
    # The server busy or down may accept later; another client error is the receiver's refusal.
    temporary = answer.status_code == 429 or answer.status_code >= 500
    return _failed(row, f"the endpoint answered HTTP {answer.status_code}", temporary=temporary)


def _failed(row, error, temporary=True):
    """Store the failure: retrying at the next time of ``BACKOFF``, or failed for good."""
    outcome = BACKOFF.failed(
        row.attempts,
        error,
        temporary=temporary,
        retry_state=SentState.RETRYING,
        give_up_state=SentState.FAILED,
    )
    row.error = outcome.error
    row.state = outcome.state
    row.next_attempt_at = outcome.retry_at
    row.save()
    return outcome
