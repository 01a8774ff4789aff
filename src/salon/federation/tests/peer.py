"""A small Mastodon-behaving server on 127.0.0.1 for the tests (no mocked HTTP).

It serves WebFinger, an actor (``/users/<name>``) with its own RSA key, personal inboxes and
a shared inbox (``/inbox``). Its inboxes check a request the way Mastodon does, with their own
code (not Salon's): a cavage ``Signature`` covering ``(request-target)``, ``host``, ``date``
and ``digest``, a ``Date`` within 12 hours, a SHA-256 ``Digest`` equal to the body's, and the
signature checked against the key fetched from its ``keyId`` (an actor document, read over
HTTP); what passes is recorded in ``received``, what fails answers 401 and is recorded in
``refused``. It signs what it sends (``signed_post``) the same way Mastodon does.
"""

import base64
import hashlib
import json
import threading
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import http_message_signatures as hms
import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = AS + "#Public"


_spare_keys = []


def _new_key(fresh=False):
    """An RSA key pair; tests reuse pairs made earlier (RSA 2048 takes a while) unless
    ``fresh`` (a rotation needs a key never used)."""
    if _spare_keys and not fresh:
        return _spare_keys.pop()
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public_pem


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


class Peer:
    """``Peer().start()``; ``peer.actor("alice")`` makes an account; ``peer.stop()``."""

    def __init__(self, secure=False):
        self.server = _Quiet(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.host = urlsplit(self.base).netloc
        self.users = {}
        self.received = []  # (inbox path, activity) verified
        self.refused = []  # (inbox path, reason)
        self.objects = {}  # path -> document served
        self.gone = set()  # actor paths answering 410
        self.inbox_status = 202
        self.offline = False  # every GET answers 503
        self.secure = secure  # "authorized fetch": unsigned GETs of actors refused
        self.fetchers = []  # keyIds that signed the GETs a secure peer answered
        # keyId -> PEM the peer already knows (tests without a live Salon to fetch it from)
        self.known_keys = {}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._lock = threading.Lock()

    # Accounts ---------------------------------------------------------------------------------

    def actor(self, name, display_name=None, also_known_as=()):
        private, public_pem = _new_key()
        self.users[name] = {
            "private": private,
            "public_pem": public_pem,
            "name": display_name or name.title(),
            "also_known_as": list(also_known_as),
        }
        return self.actor_id(name)

    def actor_id(self, name):
        return f"{self.base}/users/{name}"

    def key_id(self, name):
        return self.actor_id(name) + "#main-key"

    def rotate_key(self, name):
        self.users[name]["private"], self.users[name]["public_pem"] = _new_key(fresh=True)

    def document(self, name):
        user = self.users[name]
        actor = self.actor_id(name)
        return {
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": actor,
            "type": "Person",
            "preferredUsername": name,
            "name": user["name"],
            "url": f"{self.base}/@{name}",
            "inbox": actor + "/inbox",
            "outbox": actor + "/outbox",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "icon": {"type": "Image", "url": f"{self.base}/avatars/{name}.png"},
            "alsoKnownAs": user["also_known_as"],
            "publicKey": {
                "id": self.key_id(name),
                "owner": actor,
                "publicKeyPem": user["public_pem"],
            },
        }

    def new_id(self, name, kind="statuses"):
        return f"{self.actor_id(name)}/{kind}/{uuid.uuid4().hex[:12]}"

    def note(self, name, content, in_reply_to=None, language="en", **extra):
        note = {
            "id": self.new_id(name),
            "type": "Note",
            "attributedTo": self.actor_id(name),
            "content": content,
            "contentMap": {language: content},
            "published": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "to": [PUBLIC],
            "cc": [self.actor_id(name) + "/followers"],
        }
        if in_reply_to:
            note["inReplyTo"] = in_reply_to
        note.update(extra)
        self.objects[urlsplit(note["id"]).path] = note
        return note

    def activity(self, name, kind, obj, **extra):
        activity = {
            "@context": AS,
            "id": self.new_id(name, "activities"),
            "type": kind,
            "actor": self.actor_id(name),
            "object": obj,
        }
        activity.update(extra)
        return activity

    # Signing (Mastodon's way) -----------------------------------------------------------------

    def sign(self, name, method, url, body=b"", date=None, key_name=None):
        """Headers of a request signed by ``name`` (with ``key_name``'s key when given)."""
        user = self.users[key_name or name]
        parts = urlsplit(url)
        date = date or format_datetime(datetime.now(UTC), usegmt=True)
        headers = {"Host": parts.netloc, "Date": date}
        names = ["(request-target)", "host", "date"]
        if method == "POST":
            headers["Digest"] = (
                "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            )
            names.append("digest")
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [
            f"(request-target): {method.lower()} {target}"
            if n == "(request-target)"
            else f"{n}: {headers[n.title()]}"
            for n in names
        ]
        signature = user["private"].sign(
            "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        headers["Signature"] = (
            f'keyId="{self.key_id(name)}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
            f'signature="{base64.b64encode(signature).decode()}"'
        )
        return headers

    def sign_rfc9421(self, name, url, body):
        """Headers of a POST signed by ``name`` the RFC 9421 way (Content-Digest covered)."""
        user = self.users[name]
        key_id = self.key_id(name)

        class Keys(hms.HTTPSignatureKeyResolver):
            def resolve_private_key(self, wanted):
                return user["private"]

        class Request:
            method = "POST"

            def __init__(self):
                self.url = url
                self.headers = {"Host": urlsplit(url).netloc}

        request = Request()
        hms.HTTPMessageSigner(
            signature_algorithm=hms.algorithms.RSA_V1_5_SHA256, key_resolver=Keys()
        ).sign(
            request,
            key_id=key_id,
            label="sig1",
            covered_component_ids=("@method", "@target-uri"),
            body=body,
        )
        return request.headers

    def signed_post(self, name, url, activity, **kwargs):
        """POST ``activity`` to a Salon inbox over HTTP, signed; returns the httpx response."""
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        headers = self.sign(name, "POST", url, body, **kwargs)
        headers["Content-Type"] = "application/activity+json"
        return httpx.post(url, content=body, headers=headers, timeout=30)

    # Verifying (Mastodon's way) ---------------------------------------------------------------

    def _fetch_key(self, key_id):
        if key_id in self.known_keys:
            return serialization.load_pem_public_key(self.known_keys[key_id].encode())
        response = httpx.get(
            key_id.split("#")[0], headers={"Accept": "application/activity+json"}, timeout=10
        )
        document = response.json()
        key = document.get("publicKey", document)
        if key.get("id") != key_id:
            raise ValueError("the key is not the actor's")
        return serialization.load_pem_public_key(key["publicKeyPem"].encode())

    def verify(self, method, path, headers, body):
        """Raise ValueError unless the request is signed as Mastodon requires."""
        header = headers.get("Signature") or ""
        params = {}
        for part in header.split(","):
            key, _, value = part.partition("=")
            params[key.strip()] = value.strip().strip('"')
        names = params.get("headers", "date").split()
        for required in ("(request-target)", "host", "date") + (
            ("digest",) if method == "POST" else ()
        ):
            if required not in names:
                raise ValueError(f"{required} not signed")
        if method == "POST":
            wanted = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            if headers.get("Digest") != wanted:
                raise ValueError("wrong digest")
        date = parsedate_to_datetime(headers["Date"])
        if abs((datetime.now(UTC) - date).total_seconds()) > 12 * 3600:
            raise ValueError("stale date")
        lines = [
            f"(request-target): {method.lower()} {path}"
            if n == "(request-target)"
            else f"{n}: {headers[n.title()]}"
            for n in names
        ]
        key = self._fetch_key(params["keyId"])
        key.verify(
            base64.b64decode(params["signature"]),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        return params["keyId"]

    # The server -------------------------------------------------------------------------------

    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, document=None, content_type="application/activity+json"):
                body = json.dumps(document).encode() if document is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                if peer.offline:
                    return self._answer(503, {})
                if parts.path == "/.well-known/webfinger":
                    resource = parse_qs(parts.query).get("resource", [""])[0]
                    name = resource.removeprefix("acct:").split("@")[0]
                    if name not in peer.users:
                        return self._answer(404, {})
                    return self._answer(
                        200,
                        {
                            "subject": f"acct:{name}@{peer.host}",
                            "links": [
                                {
                                    "rel": "self",
                                    "type": "application/activity+json",
                                    "href": peer.actor_id(name),
                                }
                            ],
                        },
                        "application/jrd+json",
                    )
                if parts.path.startswith("/users/") and parts.path.count("/") == 2:
                    name = parts.path.rsplit("/", 1)[1]
                    if parts.path in peer.gone:
                        return self._answer(410, {})
                    if name not in peer.users:
                        return self._answer(404, {})
                    if peer.secure:  # authorized fetch: only signed GETs, checked like POSTs
                        headers = {k.title(): v for k, v in self.headers.items()}
                        try:
                            peer.fetchers.append(peer.verify("GET", self.path, headers, b""))
                        except Exception as error:  # noqa: BLE001 - any failure is a refusal
                            peer.refused.append((self.path, str(error)))
                            return self._answer(401, {"error": str(error)})
                    return self._answer(200, peer.document(name))
                if parts.path in peer.objects:
                    return self._answer(200, peer.objects[parts.path])
                return self._answer(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.title(): v for k, v in self.headers.items()}
                try:
                    key_id = peer.verify("POST", self.path, headers, body)
                    activity = json.loads(body)
                    if activity.get("actor") != key_id.split("#")[0]:
                        raise ValueError("the key's owner is not the actor")
                except Exception as error:  # noqa: BLE001 - any failure is a refusal
                    with peer._lock:
                        peer.refused.append((self.path, str(error)))
                    return self._answer(401, {"error": str(error)})
                with peer._lock:
                    peer.received.append((self.path, activity))
                status = peer.inbox_status
                if self.path.rsplit("/inbox", 1)[0] in peer.gone:
                    status = 410
                return self._answer(status, None)

        return Handler

    def of_type(self, kind):
        return [activity for _path, activity in self.received if activity.get("type") == kind]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if self.users is None:
            return
        for user in self.users.values():  # the next test's peer may use these keys
            _spare_keys.append((user["private"], user["public_pem"]))
        self.users = None
        self.server.shutdown()
        self.server.server_close()
