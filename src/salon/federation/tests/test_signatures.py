"""HTTP Signatures: what Salon signs verifies, in both schemes, and anything altered does not."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from salon.federation import keys, signatures
from salon.federation.signatures import Message, SignatureError

URL = "https://peer.example/users/alice/inbox"
BODY = b'{"type": "Create", "id": "https://salon.example/ap/activities/1"}'


@pytest.fixture(scope="module")
def pair():
    return keys.generate_pem_pair()


@pytest.fixture(scope="module")
def other_pair():
    return keys.generate_pem_pair()


def signed(pair, scheme, body=BODY, method="POST", url=URL, now=None):
    headers = signatures.sign_request(
        method,
        url,
        body,
        "https://salon.example/ap/actor#main-key",
        pair[0],
        scheme=scheme,
        now=now,
    )
    headers["Content-Type"] = "application/activity+json"
    return Message(method, url, headers)


@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_a_signed_request_verifies(pair, scheme):
    message = signed(pair, scheme)
    assert signatures.verify_request(message, BODY, pair[1]) == scheme
    assert signatures.key_id_of(message) == "https://salon.example/ap/actor#main-key"


def test_cavage_covers_what_mastodon_requires(pair):
    params = signatures.parse_cavage(signed(pair, signatures.CAVAGE).header("signature"))
    assert params["headers"] == "(request-target) host date digest"
    assert params["algorithm"] == "rsa-sha256"


@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_a_signed_get_verifies(pair, scheme):
    message = signed(pair, scheme, body=None, method="GET", url="https://peer.example/users/alice")
    assert signatures.verify_request(message, b"", pair[1]) == scheme


@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_another_body_is_refused(pair, scheme):
    message = signed(pair, scheme)
    with pytest.raises(SignatureError):
        signatures.verify_request(message, BODY + b" ", pair[1])


@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_another_key_is_refused(pair, other_pair, scheme):
    with pytest.raises(SignatureError, match="does not verify"):
        signatures.verify_request(signed(pair, scheme), BODY, other_pair[1])


@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_another_target_is_refused(pair, scheme):
    message = signed(pair, scheme)
    message.url = "https://peer.example/inbox"
    with pytest.raises(SignatureError):
        signatures.verify_request(message, BODY, pair[1])


def test_a_wrong_digest_is_refused_even_with_a_good_signature(pair):
    """The digest header itself signed, but not the body's: the body was swapped."""
    message = signed(pair, signatures.CAVAGE, body=b"{}")
    with pytest.raises(SignatureError, match="Digest does not match"):
        signatures.verify_request(message, BODY, pair[1])


@pytest.mark.parametrize(
    ("shift", "reason"), [(timedelta(hours=-13), "too old"), (timedelta(hours=2), "future")]
)
@pytest.mark.parametrize("scheme", [signatures.CAVAGE, signatures.RFC9421])
def test_dates_outside_mastodons_window_are_refused(pair, scheme, shift, reason):
    message = signed(pair, scheme, now=datetime.now(UTC) + shift)
    with pytest.raises(SignatureError):
        signatures.verify_request(message, BODY, pair[1])


def test_a_date_within_the_window_is_accepted(pair):
    message = signed(pair, signatures.CAVAGE, now=datetime.now(UTC) - timedelta(hours=11))
    assert signatures.verify_request(message, BODY, pair[1])


def test_a_signature_not_covering_the_digest_is_refused(pair):
    """Signing only (request-target) host date leaves the body unprotected: refused."""
    message = signed(pair, signatures.CAVAGE, body=None, method="GET")
    message.method = "POST"
    message.headers["Digest"] = signatures.digest(BODY)
    with pytest.raises(SignatureError, match="does not cover digest"):
        signatures.verify_request(message, BODY, pair[1])


@pytest.mark.parametrize(
    "header",
    [
        "",
        'keyId="k"',
        'keyId="k",signature="%%%"',
        "garbage",
        'keyId="k",headers="(request-target) host date digest",signature="AAAA"',
        'keyId="k",algorithm="hmac-sha256",headers="(request-target) host date digest",signature="AAAA"',
    ],
)
def test_malformed_signature_headers_are_refused(pair, header):
    message = signed(pair, signatures.CAVAGE)
    message.headers["Signature"] = header
    with pytest.raises(SignatureError):
        signatures.verify_request(message, BODY, pair[1])


def test_an_unsigned_request_is_refused(pair):
    with pytest.raises(SignatureError, match="not signed"):
        signatures.verify_request(Message("POST", URL, {"Date": "x"}), BODY, pair[1])


def test_a_non_rsa_key_is_refused(pair):
    with pytest.raises(SignatureError, match="not an RSA key"):
        signatures.verify_request(signed(pair, signatures.CAVAGE), BODY, "not a key")


def test_signature_bytes_flipped_are_refused(pair):
    message = signed(pair, signatures.CAVAGE)
    params = signatures.parse_cavage(message.header("signature"))
    raw = bytearray(base64.b64decode(params["signature"]))
    raw[10] ^= 1
    message.headers["Signature"] = message.headers["Signature"].replace(
        params["signature"], base64.b64encode(bytes(raw)).decode()
    )
    with pytest.raises(SignatureError, match="does not verify"):
        signatures.verify_request(message, BODY, pair[1])
