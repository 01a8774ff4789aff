"""What a verified, stored activity does (run in a task, ``tasks.process_activity``).

Follow → Accept (or Reject when blocked); Undo(Follow/Like/Announce); Create of a Note,
Article, Question… replying to a post, to a response of its thread or to the author's answer →
a ``Response`` through ``conversations.services.submit_response`` (moderated like comments and
Webmentions); a mention of the author replying to nothing here → a ``Mention`` for the admin;
Update and Delete of such responses; Like and Announce of a post → like and repost faces;
Update of an actor; Move of a follower to its new account. Anything else is kept as ignored.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from salon.blog.models import Post
from salon.conversations import conf as conversations_conf
from salon.conversations import services
from salon.conversations.models import Kind, Origin, Response

from . import conf, objects, outgoing, remote
from .content import record_of
from .models import (
    Block,
    FederatedResponse,
    Follower,
    Mention,
    ReceivedActivity,
    ReceivedState,
    RemoteActor,
    host_of,
)

logger = logging.getLogger("salon.federation")

OBJECT_TYPES = {"Note", "Article", "Question", "Page", "Image", "Video", "Audio", "Event"}


@dataclass
class Result:
    state: str
    detail: str = ""
    deliveries: list = field(default_factory=list)


def process(received_id):
    """Process one stored activity; returns a ``Result`` (the deliveries it asks for)."""
    row = ReceivedActivity.objects.filter(pk=received_id).first()
    if row is None or row.state != ReceivedState.RECEIVED:
        return Result("skipped")
    handler = HANDLERS.get(row.kind)
    try:
        actor = RemoteActor.objects.filter(url=row.actor_url).first() or remote.fetch_actor(
            row.actor_url
        )
        result = handler(row.payload, actor) if handler else Result("ignored", "unhandled type")
    except remote.RemoteError as error:
        result = Result("failed", error.reason)
    except Exception as error:  # a shape no rule foresaw: kept, marked, never retried in a loop
        logger.exception("processing activity %s failed", row.pk)
        result = Result("failed", f"{type(error).__name__}: {error}")
    row.state = {
        "processed": ReceivedState.PROCESSED,
        "failed": ReceivedState.FAILED,
    }.get(result.state, ReceivedState.IGNORED)
    row.detail = result.detail[:500] or result.state
    row.save(update_fields=["state", "detail"])
    return result


# Follows ------------------------------------------------------------------------------------


def _follow(activity, actor):
    if remote.id_of(activity.get("object")) != objects.actor_id():
        return Result("ignored", "follows someone else")
    if Block.objects.blocks(actor.url):
        return Result("processed", "blocked: rejected", outgoing.reject_follow(actor, activity))
    Follower.objects.update_or_create(
        actor=actor, defaults={"follow_id": remote.id_of(activity.get("id"))[:1000]}
    )
    return Result("processed", "accepted", outgoing.accept_follow(actor, activity))


def _undo(activity, actor):
    inner = activity.get("object")
    inner_id = remote.id_of(inner)
    kinds = remote.types_of(inner)
    if "Follow" in kinds or Follower.objects.filter(actor=actor, follow_id=inner_id).exists():
        removed, _ = Follower.objects.filter(actor=actor).delete()
        return Result("processed", "unfollowed" if removed else "was not following")
    link = FederatedResponse.objects.filter(ap_id=inner_id, actor=actor).first()
    if link is None:
        return Result("ignored", "nothing to undo")
    services.delete(link.response)
    return Result("processed", "undone")


def _move(activity, actor):
    """A follower moved its account: the new account follows in its place, once its own
    document lists the old one (``alsoKnownAs``)."""
    if remote.id_of(activity.get("object")) != actor.url:
        return Result("ignored", "moves someone else")
    target = remote.fetch_actor(remote.id_of(activity.get("target")), refresh=True)
    if actor.url not in target.also_known_as:
        return Result("ignored", "the new account does not name the old one")
    follower = Follower.objects.filter(actor=actor).first()
    if follower is None:
        return Result("ignored", "not a follower")
    if not Follower.objects.filter(actor=target).exists():
        Follower.objects.create(actor=target, follow_id="")
    follower.delete()
    return Result("processed", "follower moved")


# Responses ----------------------------------------------------------------------------------


def _local(address):
    """``(post, parent)`` for an address of this site: a post's permalink (optionally with
    ``#response-N``) or the author's answer (``/ap/answers/N``); (None, None) otherwise."""
    if not address or host_of(address) != urlsplit(conf.site_url()).hostname:
        return None, None
    parts = urlsplit(address)
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None, None
    if match.view_name == "federation:answer":
        parent = Response.objects.filter(pk=match.kwargs["pk"]).select_related("post").first()
        return (parent.post, parent) if parent else (None, None)
    if match.view_name != "blog:post":
        return None, None
    post = Post.objects.listed().filter(slug=match.kwargs["slug"], password="").first()
    parent = None
    if post is not None and parts.fragment.startswith("response-"):
        number = parts.fragment.removeprefix("response-")
        if number.isdigit():
            parent = Response.objects.filter(pk=int(number), post=post).first()
    return post, parent


def _target(in_reply_to):
    """``(post, parent)`` a reply answers: one of this blog's posts, or a response of a
    thread (a federated one by its id, the author's answer, a comment by its anchor)."""
    link = (
        FederatedResponse.objects.select_related("response__post").filter(ap_id=in_reply_to).first()
    )
    if link is not None:
        return link.response.post, link.response
    return _local(in_reply_to)


def _shallow_enough(parent):
    while parent is not None and parent.depth >= conversations_conf.max_depth():
        parent = parent.parent
    return parent


def _believable(value, post):
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    now = timezone.now()
    if when > now + timedelta(minutes=10) or when < post.published_at - timedelta(days=1):
        return None
    return min(when, now)


def _object_of(activity, actor):
    obj = activity.get("object")
    if isinstance(obj, str) and remote.is_http_url(obj) and host_of(obj) == actor.domain:
        obj = remote.signed_get(obj)
    if not isinstance(obj, dict) or not OBJECT_TYPES & set(remote.types_of(obj)):
        return None
    if remote.id_of(obj.get("attributedTo")) not in ("", actor.url):
        return None
    if host_of(remote.id_of(obj.get("id"))) != actor.domain:
        return None
    return obj


def _mentions_author(obj):
    me = objects.actor_id()
    tags = obj.get("tag") if isinstance(obj.get("tag"), list) else [obj.get("tag")]
    named = {remote.id_of(t) for t in tags if "Mention" in remote.types_of(t)}
    return me in named or me in remote.ids_of(obj.get("to")) + remote.ids_of(obj.get("cc"))


def _fill(response, actor, record):
    response.author_name = actor.shown_name
    response.author_url = actor.profile_url if remote.is_http_url(actor.profile_url) else ""
    response.author_photo = actor.icon if len(actor.icon) <= 500 else ""
    response.content = record["html"]
    response.content_html = record["html"]
    response.language = record["language"]


def _create(activity, actor):
    obj = _object_of(activity, actor)
    if obj is None:
        return Result("ignored", "no object to show")
    ap_id = remote.id_of(obj.get("id"))
    if FederatedResponse.objects.filter(ap_id=ap_id).exists():
        return _update(activity, actor)
    post, parent = _target(remote.id_of(obj.get("inReplyTo")))
    record = record_of(obj)
    if post is None:
        if not _mentions_author(obj):
            return Result("ignored", "replies to nothing here")
        Mention.objects.update_or_create(
            ap_id=ap_id,
            defaults={
                "actor": actor,
                "url": record["url"][:1000],
                "content_html": record["html"],
                "language": record["language"],
            },
        )
        return Result("processed", "mention")
    if not post.comments_open:
        return Result("ignored", "the post takes no responses")
    source = record["url"][:1000]
    if Response.objects.filter(post=post, source_url=source).exists():
        source = ap_id[:1000]  # an address another response has already: its id is its own
    response = Response(
        post=post,
        parent=_shallow_enough(parent),
        kind=Kind.REPLY,
        origin=Origin.ACTIVITYPUB,
        source_url=source,
    )
    _fill(response, actor, record)
    response.created_at = _believable(obj.get("published"), post) or timezone.now()
    with transaction.atomic():
        services.submit_response(response)
        FederatedResponse.objects.create(
            response=response, ap_id=ap_id, actor=actor, attachments=record["attachments"]
        )
    return Result("processed", f"reply {response.state}")


def _update(activity, actor):
    obj = activity.get("object")
    if isinstance(obj, dict) and remote.id_of(obj.get("id")) == actor.url:
        remote.fetch_actor(actor.url, refresh=True)
        return Result("processed", "actor updated")
    obj = _object_of(activity, actor)
    if obj is None:
        return Result("ignored", "no object to update")
    link = (
        FederatedResponse.objects.select_related("response")
        .filter(ap_id=remote.id_of(obj.get("id")), actor=actor)
        .first()
    )
    if link is None:
        return Result("ignored", "unknown object")
    record = record_of(obj)
    response = link.response
    _fill(response, actor, record)
    with transaction.atomic():
        services.submit_response(response, notify_author=False)
        link.attachments = record["attachments"]
        link.save(update_fields=["attachments"])
    return Result("processed", "reply updated")


def _delete(activity, actor):
    target = remote.id_of(activity.get("object"))
    if target == actor.url:
        Follower.objects.filter(actor=actor).delete()
        return Result("processed", "actor deleted")
    link = FederatedResponse.objects.filter(ap_id=target, actor=actor).first()
    if link is not None:
        services.delete(link.response)
        return Result("processed", "response deleted")
    if Mention.objects.filter(ap_id=target, actor=actor).delete()[0]:
        return Result("processed", "mention deleted")
    return Result("ignored", "unknown object")


def _face(kind):
    def handle(activity, actor):
        post, parent = _local(remote.id_of(activity.get("object")))
        if post is None or parent is not None:
            return Result("ignored", "not one of this blog's posts")
        ap_id = remote.id_of(activity.get("id"))
        if not ap_id or FederatedResponse.objects.filter(ap_id=ap_id).exists():
            return Result("ignored", "already counted")
        response = Response(
            post=post, kind=kind, origin=Origin.ACTIVITYPUB, source_url=ap_id[:1000]
        )
        _fill(response, actor, {"html": "", "language": ""})
        with transaction.atomic():
            services.submit_response(response, notify_author=kind == Kind.REPOST)
            FederatedResponse.objects.create(response=response, ap_id=ap_id, actor=actor)
        return Result("processed", kind)

    return handle


HANDLERS = {
    "Follow": _follow,
    "Undo": _undo,
    "Move": _move,
    "Create": _create,
    "Update": _update,
    "Delete": _delete,
    "Like": _face(Kind.LIKE),
    "Announce": _face(Kind.REPOST),
}
