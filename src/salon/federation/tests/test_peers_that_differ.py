"""Peers that behave differently: a server in secure mode ("authorized fetch") answers only
signed GETs, which the instance actor's signature satisfies; a server that signs with RFC 9421
is verified, remembered as reading it, and written to with it (falling back to cavage when it
refuses)."""

import json

import httpx
import pytest
from django.test import TestCase

from salon.federation import objects
from salon.federation.models import Follower, LocalKey, RemoteActor

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db


def test_a_server_in_secure_mode_answers_the_instance_actors_signed_fetch(client, trusting_peer):
    trusting_peer.secure = True
    trusting_peer.actor("alice")
    follow = trusting_peer.activity("alice", "Follow", SITE + "/ap/actor")
    assert post_signed(client, trusting_peer, "alice", follow).status_code == 202
    assert trusting_peer.fetchers == [objects.key_id(LocalKey.INSTANCE)], trusting_peer.refused
    assert Follower.objects.count() == 1


def test_an_unsigned_fetch_is_what_a_secure_server_refuses(trusting_peer):
    trusting_peer.secure = True
    trusting_peer.actor("alice")
    answer = httpx.get(
        trusting_peer.actor_id("alice"), headers={"Accept": "application/activity+json"}
    )
    assert answer.status_code == 401


def test_rfc9421_signed_activities_are_verified_and_remembered(client, trusting_peer):
    trusting_peer.actor("alice")
    follow = trusting_peer.activity("alice", "Follow", SITE + "/ap/actor")
    body = json.dumps(follow).encode()
    headers = trusting_peer.sign_rfc9421("alice", SITE + "/ap/inbox", body)
    headers.pop("Host")
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(
            "/ap/inbox",
            data=body,
            content_type="application/activity+json",
            headers=headers,
            HTTP_HOST="blog.example",
        )
    assert answer.status_code == 202, answer.content
    assert RemoteActor.objects.get().signs_rfc9421
    # Salon signed its Accept with RFC 9421 first; this peer checks cavage only (as Mastodon
    # before 4.4 does), refused it, and got the cavage-signed Accept in the same attempt.
    assert len(trusting_peer.refused) == 1
    assert [a["type"] for _p, a in trusting_peer.received] == ["Accept"]


def test_a_tampered_rfc9421_body_is_refused(client, trusting_peer):
    trusting_peer.actor("alice")
    body = json.dumps(trusting_peer.activity("alice", "Follow", SITE + "/ap/actor")).encode()
    headers = trusting_peer.sign_rfc9421("alice", SITE + "/ap/inbox", body)
    headers.pop("Host")
    answer = client.post(
        "/ap/inbox",
        data=body.replace(b"Follow", b"Folloo"),
        content_type="application/activity+json",
        headers=headers,
        HTTP_HOST="blog.example",
    )
    assert answer.status_code == 401
    assert not Follower.objects.exists()
