"""Hostile input at the inbox: refused with a clear status, nothing stored on refusal."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from salon.conversations.models import Response
from salon.federation.models import Follower, ReceivedActivity

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer2(trusting_peer):
    trusting_peer.actor("alice")
    trusting_peer.actor("mallory")
    return trusting_peer


def follow(peer, name="alice"):
    return peer.activity(name, "Follow", SITE + "/ap/actor")


def nothing_stored():
    return not ReceivedActivity.objects.exists() and not Follower.objects.exists()


def test_unsigned_is_refused(client, peer2):
    response = client.post(
        "/ap/inbox", data=json.dumps(follow(peer2)), content_type="application/activity+json"
    )
    assert response.status_code == 401
    assert nothing_stored()


def test_forged_signature_is_refused(client, peer2):
    """Signed with mallory's key while claiming alice's keyId."""
    response = post_signed(client, peer2, "alice", follow(peer2), key_name="mallory")
    assert response.status_code == 401
    assert "signature" in response.json()["error"]
    assert nothing_stored()


def test_replayed_request_is_refused(client, peer2):
    body = json.dumps(follow(peer2)).encode()
    headers = peer2.sign("alice", "POST", SITE + "/ap/inbox", body)
    headers.pop("Host")

    def send():
        return client.post(
            "/ap/inbox",
            data=body,
            content_type="application/activity+json",
            headers=headers,
            HTTP_HOST="blog.example",
        )

    assert send().status_code == 202
    ReceivedActivity.objects.all().delete()
    Follower.objects.all().delete()
    replay = send()
    assert replay.status_code == 401
    assert "replayed" in replay.json()["error"]
    assert nothing_stored()


def test_old_date_is_refused(client, peer2):
    old = format_datetime(datetime.now(UTC) - timedelta(hours=13), usegmt=True)
    assert post_signed(client, peer2, "alice", follow(peer2), date=old).status_code == 401
    assert nothing_stored()


def test_wrong_digest_is_refused(client, peer2):
    body = json.dumps(follow(peer2)).encode()
    headers = peer2.sign("alice", "POST", SITE + "/ap/inbox", body)
    headers.pop("Host")
    response = client.post(
        "/ap/inbox",
        data=body.replace(b"Follow", b"Folloo"),
        content_type="application/activity+json",
        headers=headers,
        HTTP_HOST="blog.example",
    )
    assert response.status_code == 401
    assert "Digest" in response.json()["error"]
    assert nothing_stored()


def test_key_of_one_actor_with_another_actor_is_refused(client, peer2):
    """mallory signs correctly with her own key, but the activity says alice did it."""
    activity = follow(peer2, "alice")
    response = post_signed(client, peer2, "mallory", activity)
    assert response.status_code == 401
    assert "owner" in response.json()["error"]
    assert nothing_stored()


def test_ten_megabytes_are_refused_unread(client, peer2):
    body = b'{"type": "Create", "content": "' + b"x" * 10_000_000 + b'"}'
    response = post_signed(client, peer2, "alice", body)
    assert response.status_code == 413
    assert nothing_stored()


def test_deeply_nested_json_is_refused(client, peer2):
    deep = follow(peer2)
    nested = []
    for _ in range(200):
        nested = [nested]
    deep["object"] = nested
    assert post_signed(client, peer2, "alice", deep).status_code == 400
    deeper = b'{"type": "Follow", "actor": "x", "object": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    assert post_signed(client, peer2, "alice", deeper).status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"type": "Follow"}', b"\xff\xfe"])
def test_bodies_that_are_not_activities_are_refused(client, peer2, body):
    assert post_signed(client, peer2, "alice", body).status_code in (400, 401)
    assert nothing_stored()


def test_an_activity_id_on_another_server_is_refused(client, peer2):
    activity = follow(peer2)
    activity["id"] = "https://elsewhere.example/activities/1"
    assert post_signed(client, peer2, "alice", activity).status_code == 400
    assert nothing_stored()


def test_script_and_javascript_urls_are_sanitised(client, peer2):
    from salon.blog.tests.factories import PostFactory

    post = PostFactory()
    note = peer2.note(
        "alice",
        '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(2)">x</a>'
        '<img src=x onerror=alert(3)><iframe src="https://evil.example"></iframe></p>',
        in_reply_to=SITE + post.get_absolute_url(),
    )
    assert (
        post_signed(client, peer2, "alice", peer2.activity("alice", "Create", note)).status_code
        == 202
    )
    response = Response.objects.get()
    for needle in ("<script", "javascript:", "onerror", "onclick", "<iframe"):
        assert needle not in response.content_html
        assert needle not in response.shown_html
