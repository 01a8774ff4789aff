"""What this site tells other servers, as activities handed to ``delivery.fan_out``.

Every function returns the ids of the ``Delivery`` rows to attempt (``tasks.py`` enqueues
them); none sends anything itself.

Posts: only listed posts without a password are federated (``Post.objects.listed()``:
published and public). The first time one is seen it is a ``Create`` (a scheduled post waits
for its time: ``FederatedPost.due_at``), an edit that changes what readers see an ``Update``,
and unpublishing, hiding or deleting it a ``Delete`` with a ``Tombstone``, after which its
permalink answers ActivityPub clients with 410.
"""

from datetime import timedelta

from django.utils import timezone

from salon.blog.models import Post

from . import conf, delivery, objects
from .models import FederatedPost, FederatedResponse, FederationState


def _federable(post):
    return post is not None and post.is_listed and not post.password


def _listed(post_id):
    return Post.objects.listed().filter(pk=post_id).prefetch_related("tags", "summaries").first()


def _send(kind, obj, inboxes, **addressing):
    uid, document = objects.activity(kind, obj, **addressing)
    return delivery.fan_out(kind, document, inboxes, uid=uid)


def _to_followers(kind, obj):
    return _send(
        kind, obj, delivery.follower_inboxes(), to=[conf.PUBLIC], cc=[objects.url("followers")]
    )


def post_changed(post_id):
    """Tell followers what happened to a post, if anything; return the deliveries to attempt."""
    post = Post.objects.filter(pk=post_id).first()
    record = FederatedPost.objects.filter(post_id=post_id).first()
    now = timezone.now()
    if post is not None and post.status == "scheduled" and post.published_at > now:
        if (record is None or record.state != FederatedPost.CREATED) and not post.password:
            # Announced at its time: by the task enqueued for then, or federation-send.
            FederatedPost.objects.update_or_create(
                post_id=post_id,
                defaults={
                    "ap_id": objects.post_id(post),
                    "path": post.get_absolute_url(),
                    "state": FederatedPost.SCHEDULED,
                    "due_at": post.published_at,
                },
            )
            return []
    listed = _listed(post_id) if post is not None else None
    if listed is not None and not _federable(listed):
        listed = None
    if listed is None:
        if record is None or record.state != FederatedPost.CREATED:
            if record is not None and record.state == FederatedPost.SCHEDULED:
                record.delete()
            return []
        record.state, record.deleted_at = FederatedPost.DELETED, now
        record.save()
        return _to_followers("Delete", objects.tombstone(record.ap_id, deleted_at=now))
    document = objects.article(listed)
    digest = objects.content_hash(document)
    path = listed.get_absolute_url()
    if record is None and listed.published_at < now - timedelta(days=conf.ANNOUNCE_MAX_AGE_DAYS):
        # An imported or backdated post: known from now on (readable in the outbox, its edits
        # and deletion told), but not pushed into timelines as if it were new.
        FederatedPost.objects.create(
            post_id=post_id,
            ap_id=document["id"],
            path=path,
            state=FederatedPost.CREATED,
            content_hash=digest,
        )
        return []
    if record is None or record.state != FederatedPost.CREATED:
        FederatedPost.objects.update_or_create(
            post_id=post_id,
            defaults={
                "ap_id": document["id"],
                "path": path,
                "state": FederatedPost.CREATED,
                "content_hash": digest,
                "due_at": None,
                "deleted_at": None,
            },
        )
        return _to_followers("Create", document)
    if record.content_hash == digest:
        return []
    if record.ap_id != document["id"]:
        # Its address changed (a new date or slug): the old one is gone, the new one is new.
        ids = _to_followers("Delete", objects.tombstone(record.ap_id, deleted_at=now))
        record.ap_id, record.path, record.content_hash = document["id"], path, digest
        record.save()
        return ids + _to_followers("Create", document)
    record.content_hash = digest
    record.save()
    document.setdefault("updated", objects.iso(now))
    return _to_followers("Update", document)


def due_scheduled_posts(now=None):
    """Ids of scheduled posts whose time has come and that were not announced yet."""
    return list(
        FederatedPost.objects.filter(
            state=FederatedPost.SCHEDULED, due_at__lte=now or timezone.now()
        ).values_list("post_id", flat=True)
    )


def accept_follow(actor, follow):
    """Accept a Follow (the activity as received) and answer the follower's own inbox."""
    return _send("Accept", follow, [actor.inbox or actor.shared_inbox], to=[actor.url])


def reject_follow(actor, follow):
    return _send("Reject", follow, [actor.inbox or actor.shared_inbox], to=[actor.url])


def remove_follower(follower):
    """The author removes a follower: the remote side gets a Reject of its Follow (what
    Mastodon reads as "no longer following"), then the row goes."""
    actor = follower.actor
    follow = {
        "id": follower.follow_id or f"{actor.url}#follow",
        "type": "Follow",
        "actor": actor.url,
        "object": objects.actor_id(),
    }
    ids = reject_follow(actor, follow)
    follower.delete()
    return ids


def answer(response, parent):
    """The author's answer to a fediverse response: a public Note in reply to it, to its
    author's inbox. Nothing when the parent did not come through ActivityPub."""
    link = FederatedResponse.objects.select_related("actor", "response").filter(response=parent)
    link = link.first()
    if link is None or link.actor is None or link.outgoing or not link.response.is_threaded:
        return []  # not from the fediverse, the author's own, or a like or boost
    note = objects.answer_note(response, link)
    FederatedResponse.objects.get_or_create(
        response=response, defaults={"ap_id": note["id"], "outgoing": True}
    )
    actor = link.actor
    return _send("Create", note, [actor.inbox or actor.shared_inbox], to=note["to"], cc=note["cc"])


def withdraw_answer(response):
    """The author deleted an answer that went to the fediverse: its server gets a Delete (a
    Tombstone of the Note), so the answer leaves the thread there too. Called before the row
    goes; nothing for any other response."""
    link = FederatedResponse.objects.filter(response=response, outgoing=True).first()
    parent = (
        FederatedResponse.objects.select_related("actor")
        .filter(response_id=response.parent_id)
        .first()
    )
    if link is None or parent is None or parent.actor is None:
        return []
    actor = parent.actor
    tombstone = objects.tombstone(link.ap_id, kind="Note")
    return _send(
        "Delete", tombstone, [actor.inbox or actor.shared_inbox], to=[conf.PUBLIC], cc=[actor.url]
    )


def move_to(target):
    """Tell followers the blog's account moved to ``target`` (an actor URL that lists this
    actor in its ``alsoKnownAs``); the actor says ``movedTo`` from now on."""
    state = FederationState.get()
    state.moved_to, state.moved_at = target, timezone.now()
    state.save()
    return _send(
        "Move",
        objects.actor_id(),
        delivery.follower_inboxes(),
        to=[objects.url("followers")],
        extra={"target": target},
    )
