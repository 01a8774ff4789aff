"""The ActivityStreams documents this site serves and sends, as plain JSON (dicts).

The author's actor (``Person``), the instance actor (``Application``), a post as an
``Article``, the author's answer to a fediverse reply as a ``Note``, a ``Tombstone``, and the
activities wrapping them. Addresses are absolute, made from ``SALON_SITE_URL``.
"""

import hashlib
import json
import re
import uuid
from datetime import UTC

from django.urls import reverse
from django.utils import timezone, translation

from salon import languages
from salon.blog.descriptions import site_description

from . import conf, keys
from .models import FederationState, LocalKey

CONTEXT = [
    conf.AS_CONTEXT,
    conf.SECURITY_CONTEXT,
    {
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
        "movedTo": {"@id": "as:movedTo", "@type": "@id"},
        "featured": {"@id": "http://joinmastodon.org/ns#featured", "@type": "@id"},
        "discoverable": "http://joinmastodon.org/ns#discoverable",
    },
]


def url(name, **kwargs):
    return conf.absolute(reverse(f"federation:{name}", kwargs=kwargs or None))


def actor_id():
    return url("actor")


def instance_id():
    return url("instance")


def key_id(actor=LocalKey.AUTHOR):
    return (actor_id() if actor == LocalKey.AUTHOR else instance_id()) + "#main-key"


def iso(when):
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _absolute_links(html):
    """Root-relative ``href``/``src`` of the site's HTML made absolute (other servers show it)."""
    return re.sub(
        r'\b(href|src)="/(?!/)', lambda m: f'{m.group(1)}="{conf.site_url()}/', html or ""
    )


def _image(address, alt=""):
    if not address:
        return None
    address = address if address.startswith("http") else conf.absolute(address)
    image = {"type": "Image", "url": address}
    if alt:
        image["name"] = alt
    return image


def _bio():
    """The blog's description in each content language (the actor's summaryMap)."""
    bios = {}
    for code in languages.content_languages():
        with translation.override(code):
            bios[code] = site_description().text
    return bios


def person():
    author = conf.author()
    user, _host = conf.handle()
    bios = _bio()
    first = next(iter(bios), "")
    document = {
        "@context": CONTEXT,
        "id": actor_id(),
        "type": "Person",
        "preferredUsername": user,
        "name": author.name,
        "summary": bios.get(first, ""),
        "summaryMap": bios,
        "url": conf.site_url() + "/",
        "inbox": url("actor_inbox"),
        "outbox": url("outbox"),
        "followers": url("followers"),
        "following": url("following"),
        "featured": url("featured"),
        "endpoints": {"sharedInbox": url("shared_inbox")},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": "2000-01-01T00:00:00Z",
        "publicKey": {
            "id": key_id(),
            "owner": actor_id(),
            "publicKeyPem": keys.key_for(LocalKey.AUTHOR).public_pem,
        },
    }
    icon = _image(author.photo)
    if icon:
        document["icon"] = icon
    also = conf.also_known_as()
    if also:
        document["alsoKnownAs"] = also
    state = FederationState.objects.filter(pk=1).first()
    if state and state.moved_to:
        document["movedTo"] = state.moved_to
    return document


def application():
    """The instance actor: it signs this site's own fetches (servers in secure mode want it)."""
    return {
        "@context": CONTEXT,
        "id": instance_id(),
        "type": "Application",
        "preferredUsername": conf.site_host().replace(":", "."),
        "name": conf.author().name,
        "url": conf.site_url() + "/",
        "inbox": url("shared_inbox"),
        "outbox": url("outbox"),
        "manuallyApprovesFollowers": True,
        "publicKey": {
            "id": key_id(LocalKey.INSTANCE),
            "owner": instance_id(),
            "publicKeyPem": keys.key_for(LocalKey.INSTANCE).public_pem,
        },
    }


def post_id(post):
    return conf.absolute(post.get_absolute_url())


def _hashtag_name(name):
    return "#" + re.sub(r"\W+", "", name.title() if " " in name else name)


def article(post):
    """A post as an ``Article``: the title (``name``), the body in the post's language, the
    summary in another language (what a Mastodon reader sees beside the title and the link)."""
    address = post_id(post)
    html = _absolute_links(post.body_html)
    document = {
        "@context": CONTEXT,
        "id": address,
        "type": "Article",
        "attributedTo": actor_id(),
        "name": post.title,
        "nameMap": {post.language: post.title},
        "content": html,
        "contentMap": {post.language: html},
        "url": address,
        "published": iso(post.published_at),
        "to": [conf.PUBLIC],
        "cc": [url("followers")],
        "replies": url("replies", post_id=post.pk),
        "sensitive": False,
    }
    other = [s for s in post.summaries.all() if s.language != post.language and s.text.strip()]
    if other:
        summary = sorted(other, key=lambda s: s.language)[0]
        document["summary"] = summary.text.strip()
        document["summaryMap"] = {s.language: s.text.strip() for s in other}
    if post.updated_at and (post.updated_at - post.published_at).total_seconds() > 60:
        document["updated"] = iso(max(post.updated_at, post.published_at))
    tags = [
        {
            "type": "Hashtag",
            "href": conf.absolute(tag.get_absolute_url()),
            "name": _hashtag_name(tag.name),
        }
        for tag in post.tags.all()
    ]
    if tags:
        document["tag"] = tags
    cover = _image(post.cover_url, post.cover_alt)
    if cover:
        document["attachment"] = [cover]
        document["image"] = cover
    return document


def content_hash(document):
    """What readers see of an object, hashed: ``updated`` and ``replies`` left out."""
    shown = {k: v for k, v in document.items() if k not in ("updated", "replies", "@context")}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


def tombstone(ap_id, kind="Article", deleted_at=None):
    return {
        "@context": conf.AS_CONTEXT,
        "id": ap_id,
        "type": "Tombstone",
        "formerType": kind,
        "deleted": iso(deleted_at or timezone.now()),
    }


def answer_id(response):
    return url("answer", pk=response.pk)


def answer_note(response, parent_link):
    """The author's answer as a public ``Note`` in reply to a fediverse response, addressed to
    its author with a ``Mention`` (``parent_link`` is the parent's ``FederatedResponse``)."""
    remote = parent_link.actor
    mention = remote.handle or remote.url
    html = (
        f'<p><span class="h-card"><a href="{remote.profile_url or remote.url}" '
        f'class="u-url mention">{mention}</a></span></p>' + _absolute_links(response.content_html)
    )
    language = response.language or response.post.language
    return {
        "@context": CONTEXT,
        "id": answer_id(response),
        "type": "Note",
        "attributedTo": actor_id(),
        "inReplyTo": parent_link.ap_id,
        "content": html,
        "contentMap": {language: html},
        "url": conf.absolute(response.get_absolute_url()),
        "published": iso(response.created_at),
        "to": [conf.PUBLIC],
        "cc": [remote.url, url("followers")],
        "tag": [{"type": "Mention", "href": remote.url, "name": mention}],
    }


def activity(kind, obj, *, to=None, cc=None, actor=None, extra=None):
    """A new activity of ``kind`` about ``obj`` (a document or an id), with its own id."""
    uid = uuid.uuid4().hex
    document = {
        "@context": CONTEXT if isinstance(obj, dict) else conf.AS_CONTEXT,
        "id": url("activity", uid=uid),
        "type": kind,
        "actor": actor or actor_id(),
        "object": _without_context(obj),
    }
    document.update(extra or {})
    if to is not None:
        document["to"] = to
    if cc is not None:
        document["cc"] = cc
    if isinstance(obj, dict) and obj.get("published") and kind == "Create":
        document["published"] = obj["published"]
    return uid, document


def _without_context(obj):
    if isinstance(obj, dict):
        return {k: v for k, v in obj.items() if k != "@context"}
    return obj
