"""Receiving Webmentions: the checks made in the request, and the verification made later.

In the request (``check_request``): both URLs present and well formed, http(s) only, not equal,
the target a public post of this site that accepts responses, the source host under its rate
limit. Nothing is fetched there. The task (``verify``) then fetches the source with limits,
checks that it links to the target, reads its microformats and creates, updates or removes the
``Response``; an unchanged source changes nothing.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from salon import languages, net
from salon.blog.models import Post, day_bounds
from salon.conversations import services
from salon.conversations.models import Origin, Response
from salon.conversations.text import clean_html

from . import conf, documents, microformats
from .models import Reason, ReceivedState, ReceivedWebmention

logger = logging.getLogger("salon.webmention")

MAX_URL_LENGTH = 1000


class Refused(Exception):
    """A Webmention refused in the request; ``message`` is translated, ``status`` the HTTP one."""

    def __init__(self, message, status=400, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _check_url(value, field):
    value = (value or "").strip()
    if not value:
        raise Refused(_("The %(field)s field is missing.") % {"field": field})
    if len(value) > MAX_URL_LENGTH:
        raise Refused(
            _("The %(field)s URL is longer than %(max)d characters.")
            % {"field": field, "max": MAX_URL_LENGTH}
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        raise Refused(_("The %(field)s is not a valid URL.") % {"field": field}) from None
    if not parts.scheme or (not parts.netloc and parts.scheme.lower() in ("http", "https")):
        raise Refused(_("The %(field)s is not an absolute URL.") % {"field": field})
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused(
            _("The %(field)s URL uses the scheme “%(scheme)s”; only http and https are supported.")
            % {"field": field, "scheme": parts.scheme}
        )
    if not host or any(c.isspace() for c in value):
        raise Refused(_("The %(field)s is not a valid URL.") % {"field": field})
    return value


def post_for_target(target):
    """The public post of this site that ``target`` names, or raise ``Refused``."""
    parts = urlsplit(target)
    if parts.netloc.lower() != conf.site_netloc():
        raise Refused(_("The target is not on this site (%(site)s).") % {"site": conf.site_url()})
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    if match is None or match.view_name != "blog:post":
        raise Refused(_("The target is not a post of this site that can receive Webmentions."))
    kwargs = match.kwargs
    bounds = day_bounds(int(kwargs["year"]), int(kwargs["month"]), int(kwargs["day"]))
    post = Post.objects.published().filter(slug=kwargs["slug"]).first()
    if post is None or bounds is None or not bounds[0] <= post.published_at < bounds[1]:
        raise Refused(_("There is no post at the target address."))
    if post.password:
        raise Refused(_("The target post is protected by a password."))
    if not post.comments_open:
        raise Refused(_("The target post does not accept responses."))
    return post


def _check_rate(host):
    limit = conf.rate_limit()
    if limit is None:
        return
    retry_after = limit.hit("webmention", host)
    if retry_after:
        raise Refused(
            _("Too many Webmentions from %(host)s; try again in %(seconds)d seconds.")
            % {"host": host, "seconds": retry_after},
            status=429,
            retry_after=retry_after,
        )


def check_request(source, target):
    """Validate a Webmention request; return ``(source, target, post)`` or raise ``Refused``."""
    source = _check_url(source, _("source"))
    target = _check_url(target, _("target"))
    if documents.same_url(source, target):
        raise Refused(_("The source and the target are the same URL."))
    post = post_for_target(target)
    _check_rate(urlsplit(source).hostname.lower())
    return source, target, post


def receive(source, target, post, ip_address=None):
    """Store (or renew) the Webmention; return the row, which the caller hands to
    ``tasks.verify_later`` (verification happens in a task, after the commit)."""
    with transaction.atomic():
        row, created = ReceivedWebmention.objects.get_or_create(
            post=post,
            source=source,
            defaults={
                "target": target,
                "source_host": urlsplit(source).hostname.lower(),
                "ip_address": ip_address,
            },
        )
        if not created:
            row.target = target
            row.ip_address = ip_address
            row.received_at = timezone.now()
            if row.state != ReceivedState.VERIFIED:
                row.state = ReceivedState.PENDING
            row.save(update_fields=["target", "ip_address", "received_at", "state", "updated_at"])
    return row


# Verification ---------------------------------------------------------------------------------


def _reject(row, reason, detail=""):
    """The source does not (or no longer) stand for a response: remove what it made."""
    response = (
        row.response
        or Response.objects.filter(
            post=row.post, source_url=row.source, origin=Origin.WEBMENTION
        ).first()
    )
    if response is not None:
        services.delete(response)
        state = ReceivedState.REMOVED
    else:
        state = (
            ReceivedState.REMOVED
            if row.state == ReceivedState.REMOVED
            else (ReceivedState.REJECTED)
        )
    row.state = state
    row.reason = reason
    row.detail = detail[:2000]
    row.response = None
    row.content_hash = ""
    row.verified_at = timezone.now()
    row.save()


def _failed(row, reason, detail):
    """A source that could not be read now: a response it made before stays as it is."""
    row.detail = detail[:2000]
    if row.response_id is None:
        row.state = ReceivedState.REJECTED
        row.reason = reason
    row.verified_at = timezone.now()
    row.save()


def extract(result, target, document=None):
    """What a verified source says: the fields of its ``Response``, as a plain dict.
    ``document`` is the source's ``documents.parse_document`` when the caller has it."""
    record = {
        "kind": "mention",
        "author_name": "",
        "author_url": "",
        "author_photo": "",
        "content_html": "",
        "content": "",
        "language": "",
        "published": "",
    }
    if documents.is_html(result):
        if document is None:
            document = documents.parse_document(result)
        parsed = microformats.parse(document if document is not None else "", result.url)
        entry = microformats.entry_for(parsed, result.url, target)
        card = microformats.author_of(entry, parsed, result.url)
        html, text = microformats.content_of(entry)
        record["kind"] = microformats.kind_of(entry, target)
        record.update(author_name=card.name, author_url=card.url, author_photo=card.photo)
        if record["kind"] in ("reply", "mention"):
            # Cleaned here once: the stored text (``content``) is this HTML, never the peer's.
            record["content_html"] = clean_html(html) if html else ""
            record["content"] = " ".join(text.split())
        record["language"] = microformats.declared_language(entry)
        published = microformats.published_of(entry)
        record["published"] = published.isoformat() if published else ""
        if record["kind"] == "mention" and not record["content"]:
            # A page without microformats: its title (or description) says what it is.
            cite = microformats.cite_of(parsed, result.url, document)
            record["content"] = cite.title or cite.excerpt
    host = urlsplit(result.url).hostname or ""
    record["author_name"] = (record["author_name"] or host).strip()[:200]
    for key in ("author_url", "author_photo"):
        if not record[key].startswith(("http://", "https://")) or len(record[key]) > 500:
            record[key] = ""
    plain = record["content"]
    detected = languages.detect_language(plain, default=None) if plain else None
    declared = record["language"] if languages.is_content_language(record["language"]) else ""
    record["language"] = detected or declared or record["language"][:12]
    return record


# A source's dt-published is believed within these bounds. Clocks drift and a few minutes of
# "future" are common, but a date far ahead would keep a response on top of every thread and
# feed: beyond the skew it is a mistake or a trick. A response cannot be older than the post it
# answers, yet the post's date may have been set a little late (edited, scheduled) and a date
# without an offset is read as UTC, up to 14 hours from the writer's clock: hence a day of
# tolerance before the post, and no more (an older date is wrong, or a page re-used).
FUTURE_SKEW = timedelta(minutes=10)
BEFORE_POST_TOLERANCE = timedelta(days=1)


def believable_date(value, post, now=None):
    """The source's ``dt-published`` (ISO text) as an aware datetime when it is believable for
    a response to ``post``, else None."""
    if not value:
        return None
    try:
        published = datetime.fromisoformat(value)
    except ValueError:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    now = now or timezone.now()
    if published > now + FUTURE_SKEW:
        return None
    if published < post.published_at - BEFORE_POST_TOLERANCE:
        return None
    return min(published, now)


def content_hash(record):
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def verify(row_id):
    """Verify one received Webmention (the task's body)."""
    row = ReceivedWebmention.objects.select_related("post", "response").filter(pk=row_id).first()
    if row is None:
        return "gone"
    post = row.post
    if not post.is_public or post.password or not post.comments_open:
        _reject(row, Reason.TARGET_GONE)
        return row.state
    try:
        result = net.fetch(
            row.source,
            headers={"Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"},
            timeout=conf.FETCH_TIMEOUT,
            max_bytes=conf.FETCH_MAX_BYTES,
            max_redirects=conf.FETCH_MAX_REDIRECTS,
        )
    except net.FetchError as error:
        _failed(row, Reason.FETCH_FAILED, error.reason)
        return row.state
    if result.status_code in (404, 410):
        _reject(row, Reason.GONE, f"HTTP {result.status_code}")
        return row.state
    if result.status_code >= 400:
        _failed(row, Reason.SOURCE_ERROR, f"HTTP {result.status_code}")
        return row.state
    if not documents.is_readable(result):
        _reject(row, Reason.UNSUPPORTED, result.content_type or "no content type")
        return row.state
    # Parsed once: the link check, mf2py and the page's metadata read the same tree.
    document = documents.parse_document(result) if documents.is_html(result) else None
    if not documents.links_to(result, row.target, tree=document):
        _reject(row, Reason.NO_LINK)
        return row.state
    record = extract(result, row.target, document)
    digest = content_hash(record)
    response = row.response or Response.objects.filter(post=post, source_url=row.source).first()
    if response is not None and row.state == ReceivedState.VERIFIED and row.content_hash == digest:
        # The same source, unchanged: nothing new to store or to tell anyone.
        row.verified_at = timezone.now()
        row.save(update_fields=["verified_at", "updated_at"])
        return "unchanged"
    created = response is None
    if created:
        response = Response(post=post, source_url=row.source, origin=Origin.WEBMENTION)
    fields = dict(record)
    published = believable_date(fields.pop("published"), post)
    for key, value in fields.items():
        setattr(response, key, value)
    # The response is dated when its source says it was written; without a believable date,
    # when it reached us (the row keeps ``received_at`` either way). An update without one
    # keeps the date the response already had.
    if published is not None:
        response.created_at = published
    elif created:
        response.created_at = row.received_at
    # The shown HTML is the source's cleaned e-content; the stored text is the same HTML so the
    # conversations app's own rendering (``html_from_content``) finds and cleans it again.
    if record["content_html"]:
        response.content = record["content_html"]
    with transaction.atomic():
        services.submit_response(response, notify_author=created)
        row.response = response
        row.state = ReceivedState.VERIFIED
        row.reason = Reason.NONE
        row.detail = ""
        row.content_hash = digest
        row.verified_at = timezone.now()
        row.save()
    return "created" if created else "updated"
