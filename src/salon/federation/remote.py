"""Other servers' documents: signed fetches (by the instance actor, through ``salon.net``),
remote actors and their keys (cached in ``RemoteActor``), and the tolerant readers of the
shapes real servers send (a string, an object or a list where one value is expected)."""

import json
import logging
from urllib.parse import urldefrag

from django.utils import timezone

from salon import net

from . import conf, objects, signatures
from .keys import key_for
from .models import LocalKey, RemoteActor, host_of

logger = logging.getLogger("salon.federation")

ACCEPT = f"{conf.AP_CONTENT_TYPE}, {conf.LD_CONTENT_TYPE}"


class RemoteError(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# Tolerant readers ---------------------------------------------------------------------------


def id_of(value):
    """The id of a value given as a string, an object with ``id`` (or ``href``), or a list of
    them (the first); "" when there is none."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("id") or value.get("href") or ""
    return value.strip() if isinstance(value, str) else ""


def ids_of(value):
    """Every id in a value that may be a string, an object or a list of either."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [i for i in (id_of(item) for item in items) if i]


def types_of(value):
    kind = value.get("type") if isinstance(value, dict) else None
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return [kind] if isinstance(kind, str) else []


def is_http_url(value):
    return (
        isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) < 1000
    )


# Fetching -----------------------------------------------------------------------------------


def signed_get(address):
    """GET an ActivityPub document, signed by the instance actor; return the parsed JSON."""
    key = key_for(LocalKey.INSTANCE)
    headers = signatures.sign_request(
        "GET", address, None, objects.key_id(LocalKey.INSTANCE), key.private_pem
    )
    headers.pop("Host", None)  # salon.net sets it from the URL (the same value)
    headers["Accept"] = ACCEPT
    try:
        result = net.fetch(
            address,
            headers=headers,
            timeout=conf.FETCH_TIMEOUT,
            max_bytes=conf.FETCH_MAX_BYTES,
            max_redirects=3,
        )
    except net.FetchError as error:
        raise RemoteError(error.reason) from error
    if result.status_code == 410:
        raise RemoteError("gone (410)")
    if result.status_code >= 400:
        raise RemoteError(f"HTTP {result.status_code}")
    try:
        document = json.loads(result.content)
    except (ValueError, RecursionError):
        raise RemoteError("the answer is not JSON") from None
    if not isinstance(document, dict):
        raise RemoteError("the answer is not a JSON object")
    return document


def _update_actor(actor, document):
    key = document.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict)), {})
    key = key if isinstance(key, dict) else {}
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    name = document.get("name")
    icon = document.get("icon")
    if isinstance(icon, list):
        icon = icon[0] if icon else None
    actor.kind = (types_of(document) or [""])[0][:40]
    actor.username = str(document.get("preferredUsername") or "")[:200]
    actor.name = (name if isinstance(name, str) else "")[:200]
    actor.domain = host_of(actor.url)
    icon_url = id_of(icon.get("url")) if isinstance(icon, dict) else id_of(icon)
    actor.icon = icon_url if is_http_url(icon_url) else ""
    profile = id_of(document.get("url"))
    actor.profile_url = profile if is_http_url(profile) else actor.url
    inbox = id_of(document.get("inbox"))
    actor.inbox = inbox if is_http_url(inbox) else ""
    shared = id_of(endpoints.get("sharedInbox"))
    actor.shared_inbox = shared if is_http_url(shared) else ""
    if key.get("publicKeyPem") and key.get("id"):
        owner = id_of(key.get("owner")) or actor.url
        if owner == actor.url:
            actor.key_id = str(key["id"])[:1000]
            actor.public_key_pem = str(key["publicKeyPem"])
    actor.also_known_as = [u for u in ids_of(document.get("alsoKnownAs")) if is_http_url(u)][:10]
    actor.fetched_at = timezone.now()
    actor.save()
    return actor


def fetch_actor(address, *, refresh=False):
    """The ``RemoteActor`` at ``address`` (its id), fetched when unknown, stale or asked."""
    address = urldefrag(address)[0]
    actor = RemoteActor.objects.filter(url=address).first()
    fresh = (
        actor is not None
        and actor.fetched_at is not None
        and (timezone.now() - actor.fetched_at).total_seconds() < conf.ACTOR_REFRESH_SECONDS
    )
    if fresh and not refresh:
        return actor
    document = signed_get(address)
    if id_of(document.get("id")) != address:
        raise RemoteError("the actor document has another id")
    if actor is None:
        actor = RemoteActor(url=address)
    return _update_actor(actor, document)


def actor_for_key(key_id, *, refresh=False):
    """The actor owning ``key_id``, with its public key: from the cache unless ``refresh``.

    The key's document is fetched (its address without the fragment): either the actor itself
    (Mastodon's ``…#main-key``) or a key object naming its ``owner``, which is then fetched.
    The key must be listed by its owner's own document."""
    if not refresh:
        actor = RemoteActor.objects.filter(key_id=key_id).exclude(public_key_pem="").first()
        if actor is not None:
            return actor
    document = signed_get(urldefrag(key_id)[0])
    if "publicKeyPem" in document:  # a key object: its owner says who holds it
        owner = id_of(document.get("owner"))
        if not is_http_url(owner):
            raise RemoteError("the key names no owner")
        actor = fetch_actor(owner, refresh=True)
    else:
        address = id_of(document.get("id"))
        if not is_http_url(address) or host_of(address) != host_of(key_id):
            raise RemoteError("the key's document is not an actor of the key's server")
        actor = RemoteActor.objects.filter(url=address).first() or RemoteActor(url=address)
        actor = _update_actor(actor, document)
    if actor.key_id != key_id:
        raise RemoteError("the actor does not hold this key")
    return actor
