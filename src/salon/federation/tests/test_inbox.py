"""The inbox: only verified activities are stored; Follow is answered with a signed Accept
delivered to the follower's inbox; Undo removes; blocked actors and servers are refused."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from salon.federation import objects
from salon.federation.models import Block, BlockKind, Follower, ReceivedActivity, RemoteActor

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(trusting_peer, site):
    trusting_peer.actor("alice", "Alice Liddell")
    return trusting_peer


def follow(peer, name="alice"):
    return peer.activity(name, "Follow", SITE + "/ap/actor")


def test_a_follow_is_accepted_with_a_signed_accept(client, alice):
    activity = follow(alice)
    response = post_signed(client, alice, "alice", activity)
    assert response.status_code == 202
    follower = Follower.objects.get()
    assert follower.actor.url == alice.actor_id("alice")
    assert follower.actor.name == "Alice Liddell"
    accepts = alice.of_type("Accept")
    assert len(accepts) == 1, alice.refused
    assert accepts[0]["object"]["id"] == activity["id"]
    assert accepts[0]["actor"] == SITE + "/ap/actor"
    assert alice.received[0][0] == "/users/alice/inbox"
    assert (
        client.get("/ap/actor/followers", HTTP_ACCEPT="application/activity+json").json()[
            "totalItems"
        ]
        == 1
    )


def test_the_personal_inbox_works_too(client, alice):
    assert (
        post_signed(client, alice, "alice", follow(alice), path="/ap/actor/inbox").status_code
        == 202
    )
    assert Follower.objects.count() == 1


def test_undo_follow_removes_the_follower(client, alice):
    activity = follow(alice)
    post_signed(client, alice, "alice", activity)
    undo = alice.activity("alice", "Undo", activity)
    assert post_signed(client, alice, "alice", undo).status_code == 202
    assert not Follower.objects.exists()


def test_a_blocked_actor_gets_a_reject(client, alice):
    Block.objects.create(kind=BlockKind.ACTOR, value=alice.actor_id("alice"))
    post_signed(client, alice, "alice", follow(alice))
    assert not Follower.objects.exists()
    assert [a["type"] for _p, a in alice.received] == ["Reject"]


def test_a_blocked_server_is_refused_before_anything_is_fetched(client, alice):
    Block.objects.create(kind=BlockKind.DOMAIN, value="127.0.0.1")
    note = alice.note("alice", "<p>hello</p>")
    response = post_signed(client, alice, "alice", alice.activity("alice", "Create", note))
    assert response.status_code == 403
    assert not ReceivedActivity.objects.exists()
    assert not RemoteActor.objects.exists()


def test_the_key_is_fetched_once_then_cached(client, alice):
    post_signed(client, alice, "alice", follow(alice))
    alice.offline = True  # the peer's documents cannot be read: the cached key still verifies
    second = alice.activity("alice", "Undo", follow(alice))
    assert post_signed(client, alice, "alice", second).status_code == 202


def test_a_rotated_key_is_fetched_again_once(client, alice):
    post_signed(client, alice, "alice", follow(alice))
    old_pem = RemoteActor.objects.get().public_key_pem
    alice.rotate_key("alice")
    response = post_signed(client, alice, "alice", alice.activity("alice", "Undo", follow(alice)))
    assert response.status_code == 202
    assert RemoteActor.objects.get().public_key_pem != old_pem


def test_the_answer_is_fast_and_processing_is_stored(client, alice):
    post_signed(client, alice, "alice", follow(alice))
    row = ReceivedActivity.objects.get()
    assert row.kind == "Follow" and row.state == "processed"
    assert row.payload["actor"] == alice.actor_id("alice")


def test_a_second_delivery_of_one_activity_is_stored_once(client, alice):
    activity = follow(alice)
    post_signed(client, alice, "alice", activity)
    post_signed(client, alice, "alice", activity, path="/ap/actor/inbox")
    assert ReceivedActivity.objects.count() == 1
    assert len(alice.of_type("Accept")) == 1


def test_get_on_the_inbox_is_not_allowed(client, site):
    assert client.get("/ap/inbox").status_code == 405


def test_the_rate_limit_per_server(client, alice, settings):
    settings.SALON_FEDERATION_RATE_LIMIT = "2/60"
    statuses = [post_signed(client, alice, "alice", follow(alice)).status_code for _ in range(3)]
    assert statuses == [202, 202, 429]


def test_objects_of_this_site_resolve(alice):
    assert objects.actor_id() == SITE + "/ap/actor"
    assert json.dumps(objects.person())


def test_an_activity_left_unprocessed_is_processed_by_the_sweep(client, alice):
    """A worker that died leaves a stored activity waiting: federation-send processes it."""
    activity = follow(alice)
    ReceivedActivity.objects.create(
        ap_id=activity["id"],
        kind="Follow",
        actor_url=alice.actor_id("alice"),
        payload=activity,
        received_at=timezone.now() - timedelta(minutes=10),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("federation-send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Follower.objects.count() == 1
    assert len(alice.of_type("Accept")) == 1


def test_processed_activities_are_deleted_after_a_month(alice):
    old = timezone.now() - timedelta(days=31)
    kept = ReceivedActivity.objects.create(kind="Like", actor_url="https://a.example/u", payload={})
    ReceivedActivity.objects.create(
        kind="Like", actor_url="https://a.example/u", payload={}, state="processed", received_at=old
    )
    call_command("federation-send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(ReceivedActivity.objects.all()) == [kept]
