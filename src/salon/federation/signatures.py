"""HTTP Signatures, both kinds the fediverse uses.

- draft-cavage (what Mastodon requires): ``Signature: keyId=…,algorithm="rsa-sha256",
  headers="(request-target) host date digest",signature=…`` with a SHA-256 ``Digest`` of the
  body; signed and verified here with ``cryptography``;
- RFC 9421 (``Signature-Input`` + ``Signature``, ``Content-Digest``), through
  ``http-message-signatures``, algorithm ``rsa-v1_5-sha256``.

``sign_request`` returns the headers to send; ``verify_request`` checks an incoming request
against a public key and raises ``SignatureError`` (with a plain reason) on anything wrong:
a missing or unsigned component, a bad digest, a date outside Mastodon's window (12 hours
back, 1 hour ahead), a signature that does not verify. Replays are the caller's concern.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

import http_message_signatures as hms
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from . import conf
from .keys import load_private, load_public

CAVAGE = "cavage"
RFC9421 = "rfc9421"
_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


class SignatureError(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Message:
    """A request as both kinds of signature see it (the shape ``http-message-signatures``
    reads: ``method``, absolute ``url``, ``headers``)."""

    method: str
    url: str
    headers: dict

    def header(self, name):
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return None


def digest(body):
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(when=None):
    return format_datetime(when or datetime.now(UTC), usegmt=True)


def _host(url):
    return urlsplit(url).netloc


def _request_target(method, url):
    parts = urlsplit(url)
    return f"{method.lower()} {parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


# Signing ------------------------------------------------------------------------------------


def sign_request(method, url, body, key_id, private_pem, scheme=CAVAGE, now=None):
    """Headers to add to a request (``Host``, ``Date``, the digest and the signature)."""
    method = method.upper()
    if scheme == RFC9421:
        return _sign_rfc9421(method, url, body, key_id, private_pem, now)
    headers = {"Host": _host(url), "Date": http_date(now)}
    names = ["(request-target)", "host", "date"]
    if body is not None and method == "POST":
        headers["Digest"] = digest(body)
        names.append("digest")
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {_request_target(method, url)}")
        else:
            lines.append(f"{name}: {headers[name.title()]}")
    signature = load_private(private_pem).sign(
        "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return headers


class _KeyResolver(hms.HTTPSignatureKeyResolver):
    def __init__(self, key_id, private_pem=None, public_pem=None):
        self.key_id, self.private_pem, self.public_pem = key_id, private_pem, public_pem

    def resolve_private_key(self, key_id):
        if key_id != self.key_id:
            raise SignatureError("unknown key")
        return load_private(self.private_pem)

    def resolve_public_key(self, key_id):
        if key_id != self.key_id or not self.public_pem:
            return None
        return load_public(self.public_pem)


def _sign_rfc9421(method, url, body, key_id, private_pem, now):
    headers = {"Host": _host(url), "Date": http_date(now)}
    message = Message(method, url, headers)
    signer = hms.HTTPMessageSigner(
        signature_algorithm=hms.algorithms.RSA_V1_5_SHA256,
        key_resolver=_KeyResolver(key_id, private_pem=private_pem),
    )
    components = ["@method", "@target-uri"]
    signer.sign(
        message,
        key_id=key_id,
        created=now or datetime.now(UTC),
        label="sig1",
        covered_component_ids=components,
        body=body if (body is not None and method == "POST") else None,
    )
    return headers


# Verifying ----------------------------------------------------------------------------------


def scheme_of(message):
    if message.header("signature-input"):
        return RFC9421
    if message.header("signature"):
        return CAVAGE
    return None


def parse_cavage(value):
    """The parameters of a cavage ``Signature`` header, or raise ``SignatureError``."""
    params, position = {}, 0
    value = (value or "").strip()
    while position < len(value):
        match = _PARAM.match(value, position)
        if not match:
            raise SignatureError("the Signature header is malformed")
        params[match.group(1)] = match.group(2)
        position = match.end()
    for name in ("keyId", "signature"):
        if not params.get(name):
            raise SignatureError(f"the Signature header has no {name}")
    return params


def key_id_of(message):
    """The keyId a request claims, before anything is verified (None when unsigned)."""
    scheme = scheme_of(message)
    if scheme == CAVAGE:
        return parse_cavage(message.header("signature"))["keyId"]
    if scheme == RFC9421:
        match = re.search(r'keyid="([^"]+)"', message.header("signature-input") or "")
        if not match:
            raise SignatureError("the Signature-Input header has no keyid")
        return match.group(1)
    return None


def _check_window(when, now):
    if when < now - timedelta(seconds=conf.DATE_WINDOW_PAST):
        raise SignatureError("the request is too old (Date or created outside the window)")
    if when > now + timedelta(seconds=conf.DATE_WINDOW_FUTURE):
        raise SignatureError("the request is dated in the future")


def _check_digest(message, body):
    value = message.header("digest")
    if not value:
        raise SignatureError("the body has no Digest header")
    wanted = digest(body).split("=", 1)[1]
    for part in value.split(","):
        algorithm, _, encoded = part.strip().partition("=")
        if algorithm.lower() == "sha-256":
            if encoded.strip() != wanted:
                raise SignatureError("the Digest does not match the body")
            return
    raise SignatureError("the Digest has no SHA-256 value")


def verify_request(message, body, public_pem, now=None):
    """Check ``message`` (with its ``body`` bytes) against ``public_pem``; return the scheme
    used, or raise ``SignatureError``."""
    now = now or datetime.now(UTC)
    key = load_public(public_pem or "")
    if key is None:
        raise SignatureError("the actor's public key is not an RSA key")
    scheme = scheme_of(message)
    if scheme == CAVAGE:
        _verify_cavage(message, body, key, now)
    elif scheme == RFC9421:
        _verify_rfc9421(message, body, public_pem, now)
    else:
        raise SignatureError("the request is not signed")
    return scheme


def _verify_cavage(message, body, key, now):
    params = parse_cavage(message.header("signature"))
    if params.get("algorithm", "rsa-sha256").lower() not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"unsupported algorithm {params.get('algorithm')!r}")
    names = params.get("headers", "date").lower().split()
    has_body = message.method.upper() == "POST"
    required = ["(request-target)", "host"] + (["digest"] if has_body else [])
    for name in required:
        if name not in names:
            raise SignatureError(f"the signature does not cover {name}")
    if "date" not in names and "(created)" not in names:
        raise SignatureError("the signature covers neither date nor (created)")
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {_request_target(message.method, message.url)}")
        elif name in ("(created)", "(expires)"):
            number = params.get(name[1:-1], "")
            if not number.isdigit():
                raise SignatureError(f"the signature has no {name[1:-1]} value")
            lines.append(f"{name}: {number}")
        else:
            value = message.header(name)
            if value is None:
                raise SignatureError(f"the signed header {name} is missing")
            lines.append(f"{name}: {value.strip()}")
    if "date" in names:
        try:
            when = parsedate_to_datetime(message.header("date"))
        except (TypeError, ValueError):
            raise SignatureError("the Date header is malformed") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        _check_window(when, now)
    if "(created)" in names:
        _check_window(datetime.fromtimestamp(int(params["created"]), UTC), now)
    if "(expires)" in names and int(params["expires"]) < now.timestamp():
        raise SignatureError("the signature has expired")
    if has_body:
        _check_digest(message, body)
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        key.verify(signature, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        raise SignatureError("the signature does not verify") from None


def _verify_rfc9421(message, body, public_pem, now):
    key_id = key_id_of(message)
    verifier = hms.HTTPMessageVerifier(
        signature_algorithm=hms.algorithms.RSA_V1_5_SHA256,
        key_resolver=_KeyResolver(key_id, public_pem=public_pem),
    )
    has_body = message.method.upper() == "POST"
    try:
        results = verifier.verify(
            message,
            max_age=timedelta(seconds=conf.DATE_WINDOW_PAST),
            require_components=["@method", "@target-uri"],
            body=body if has_body else None,
        )
    except hms.HTTPMessageSignaturesException as error:
        raise SignatureError(f"the signature does not verify ({error})") from None
    except (ValueError, TypeError, KeyError):
        raise SignatureError("the signature headers are malformed") from None
    for result in results:
        created = result.parameters.get("created")
        if isinstance(created, int):
            _check_window(datetime.fromtimestamp(created, UTC), now)
        if has_body and body and result.body is None:
            raise SignatureError("the signature does not cover the body's Content-Digest")
