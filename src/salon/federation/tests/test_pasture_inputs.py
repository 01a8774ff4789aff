"""The object shapes of ``fediverse-pasture-inputs`` (what real servers send, and worse),
delivered signed as replies to a post: never a 5xx, each one stored or refused with a
reason, and no stored response renders script."""

import copy
import json
from collections import Counter

import pytest
from fediverse_pasture_inputs import available

from salon.blog.tests.factories import PostFactory
from salon.conversations import services
from salon.conversations.models import Response
from salon.federation.models import FederatedResponse, Mention, ReceivedActivity

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db

EXAMPLES = [
    (name, i, example)
    for name, data in sorted(available.items())
    for i, example in enumerate(data.examples)
]


def shaped(peer, example, permalink):
    """The peer's Note as the example changes it; the package's placeholders point at the
    peer's actors and at the post (so that its replies have something to reply to)."""
    note = peer.note("alice", "<p>base</p>", in_reply_to=permalink)
    note.pop("contentMap")
    text = json.dumps(example)
    text = text.replace("http://pasture-one-actor/actor", peer.actor_id("alice"))
    text = text.replace("http://pasture-one-actor/second", peer.actor_id("bob"))
    text = text.replace("http://pasture-one-actor/assets/note1.jsonap", permalink)
    for key, value in json.loads(text).items():
        if value is None:
            note.pop(key, None)
        else:
            note[key] = copy.deepcopy(value)
    return note


def test_every_pasture_shape_is_stored_or_refused_with_a_reason(client, trusting_peer, capsys):
    trusting_peer.actor("alice", "Alice")
    trusting_peer.actor("bob", "Bob")
    post = PostFactory()
    permalink = SITE + post.get_absolute_url()
    outcomes = Counter()
    refusals = Counter()
    for name, index, example in EXAMPLES:
        note = shaped(trusting_peer, example, permalink)
        activity = trusting_peer.activity("alice", "Create", note)
        response = post_signed(client, trusting_peer, "alice", activity)
        assert response.status_code < 500, (name, index)
        if response.status_code != 202:
            assert response.json()["error"], (name, index)
            outcomes["refused at the door"] += 1
            refusals[response.json()["error"]] += 1
            continue
        row = ReceivedActivity.objects.get(ap_id=activity["id"])
        stored = FederatedResponse.objects.filter(ap_id=note.get("id", "-")).exists()
        stored = stored or Mention.objects.filter(ap_id=note.get("id", "-")).exists()
        if stored:
            outcomes["stored"] += 1
        else:
            assert row.state in ("ignored", "failed") and row.detail, (name, index, row.state)
            outcomes["refused"] += 1
            refusals[row.detail] += 1
    for response in Response.objects.all():
        services.approve(response)
        for needle in ("<script", "javascript:", "onerror=", "<iframe", "<form", "<input"):
            assert needle not in response.shown_html.lower(), (response.pk, needle)
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert sum(outcomes.values()) == len(EXAMPLES)
    with capsys.disabled():
        print(
            f"\npasture inputs: {len(EXAMPLES)} shapes, {dict(outcomes)}; refusals: {dict(refusals)}"
        )
    assert outcomes["stored"] > len(EXAMPLES) / 2
