"""The inbox's checks, made in the request: nothing is stored unless they all pass.

Order: size (1 MB) → rate per remote server → JSON (depth-limited) → blocks → signature
(cavage or RFC 9421) against the key's actor, fetched by a signed GET the first time and
re-fetched once when it does not verify (key rotation) → the key's owner is the activity's
actor → not a replay → stored. What the activity does is decided later, in a task
(``processing.process``)."""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import conf, remote, signatures
from .models import Block, ReceivedActivity, host_of


@dataclass
class Refused(Exception):
    status: int
    message: str
    retry_after: int = 0


def _depth(value, limit):
    """Raise ``Refused`` when ``value`` nests deeper than ``limit`` (iteratively: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise Refused(400, _("The JSON document is nested too deeply."))
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def read_body(request):
    """The request body, at most ``MAX_INBOX_BYTES`` (refused beyond, unread)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > conf.MAX_INBOX_BYTES:
        raise Refused(413, _("The body is larger than 1 MB."))
    body = request.read(conf.MAX_INBOX_BYTES + 1)
    if len(body) > conf.MAX_INBOX_BYTES:
        raise Refused(413, _("The body is larger than 1 MB."))
    return body


def parse(body):
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused(400, _("The body is not a JSON document.")) from None
    if not isinstance(document, dict):
        raise Refused(400, _("The body is not a JSON object."))
    _depth(document, conf.MAX_JSON_DEPTH)
    return document


def message_of(request):
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in request.META.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if request.META.get(key):
            headers[key.replace("_", "-").title()] = request.META[key]
    return signatures.Message(request.method, conf.absolute(request.get_full_path()), headers)


def _check_rate(server):
    limit = conf.rate_limit()
    if limit is None:
        return
    retry_after = limit.hit("federation-inbox", server)
    if retry_after:
        raise Refused(
            429,
            _("Too many activities from %(server)s; try again in %(seconds)d seconds.")
            % {"server": server, "seconds": retry_after},
            retry_after,
        )


def _verified_actor(message, body, key_id):
    """The actor holding ``key_id`` whose key verifies the request (one re-fetch on failure)."""
    try:
        actor = remote.actor_for_key(key_id)
    except remote.RemoteError as error:
        raise Refused(
            401, _("The signing key cannot be read: %(reason)s") % {"reason": error.reason}
        ) from None
    try:
        scheme = signatures.verify_request(message, body, actor.public_key_pem)
    except signatures.SignatureError as first:
        if _is_permanent(first):
            raise Refused(
                401, _("The signature was refused: %(reason)s") % {"reason": first.reason}
            ) from None
        try:  # the key may have been rotated: read it again, once
            actor = remote.actor_for_key(key_id, refresh=True)
            scheme = signatures.verify_request(message, body, actor.public_key_pem)
        except (remote.RemoteError, signatures.SignatureError) as error:
            raise Refused(
                401, _("The signature was refused: %(reason)s") % {"reason": error.reason}
            ) from None
    if scheme == signatures.RFC9421 and not actor.signs_rfc9421:
        actor.signs_rfc9421 = True
        actor.save(update_fields=["signs_rfc9421"])
    return actor


def _is_permanent(error):
    """Failures a new key would not cure (only a bad signature is worth a re-fetch)."""
    return not error.reason.startswith("the signature does not verify")


def _not_replayed(message):
    """Each signature is accepted once within the date window."""
    value = (message.header("signature") or "") + (message.header("signature-input") or "")
    key = "salon:federation:seen:" + hashlib.sha256(value.encode()).hexdigest()
    if not cache.add(key, 1, conf.DATE_WINDOW_PAST + conf.DATE_WINDOW_FUTURE):
        raise Refused(401, _("This signature was used before (a replayed request)."))


def accept(request):
    """Check an inbox request; store its activity and return the ``ReceivedActivity`` (None
    when it asks for nothing to be stored, such as a blocked server's Follow answered with a
    Reject), or raise ``Refused``."""
    body = read_body(request)
    message = message_of(request)
    try:
        key_id = signatures.key_id_of(message)
    except signatures.SignatureError as error:
        raise Refused(401, error.reason) from None
    if not key_id or not remote.is_http_url(key_id):
        raise Refused(401, _("The request is not signed."))
    server = host_of(key_id)
    _check_rate(server)
    document = parse(body)
    actor_url = remote.id_of(document.get("actor"))
    kind = (remote.types_of(document) or [""])[0]
    if not remote.is_http_url(actor_url) or not kind:
        raise Refused(400, _("The activity has no actor or no type."))
    blocked = Block.objects.blocks(actor_url) or Block.objects.blocks(domain=server)
    if blocked and kind != "Follow":
        raise Refused(403, _("This server or actor is blocked here."))
    actor = _verified_actor(message, body, key_id)
    if actor.url != actor_url:
        raise Refused(401, _("The key's owner is not the activity's actor."))
    _not_replayed(message)
    ap_id = remote.id_of(document.get("id"))[:1000]
    if ap_id and host_of(ap_id) != host_of(actor_url):
        raise Refused(400, _("The activity's id is not on its actor's server."))
    try:
        with transaction.atomic():
            if ap_id and ReceivedActivity.objects.filter(ap_id=ap_id).exists():
                return None  # delivered twice (a shared inbox and a personal one): once is enough
            return ReceivedActivity.objects.create(
                ap_id=ap_id, kind=kind[:40], actor_url=actor_url, payload=document
            )
    except IntegrityError:
        raise Refused(400, _("The activity could not be stored.")) from None
