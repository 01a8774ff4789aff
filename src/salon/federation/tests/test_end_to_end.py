"""The whole conversation with a Mastodon-behaving peer over real HTTP both ways: Salon runs
as a live server, the peer fetches Salon's key to check every delivery, Salon fetches the
peer's actors to check every activity. Runs on SQLite and on PostgreSQL like every test."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from salon.blog.tests.factories import PostFactory
from salon.conversations import services
from salon.conversations.models import Kind, Response, State

from .peer import Peer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def salon(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.ALLOWED_HOSTS = [*django_settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    return live_server.url


@pytest.fixture
def mastodon():
    server = Peer().start()
    server.actor("alice", "Alice")
    server.actor("bob", "Bob")
    yield server
    server.stop()


def test_a_conversation_with_the_fediverse(salon, mastodon, client):
    inbox = salon + "/ap/inbox"
    actor = salon + "/ap/actor"

    def send(name, kind, obj, **extra):
        activity = mastodon.activity(name, kind, obj, **extra)
        response = mastodon.signed_post(name, inbox, activity)
        assert response.status_code == 202, response.text
        return activity

    # Alice follows and gets the Accept, signed, checked against the key the peer fetched.
    follow = send("alice", "Follow", actor)
    accepts = mastodon.of_type("Accept")
    assert len(accepts) == 1 and accepts[0]["object"]["id"] == follow["id"], mastodon.refused

    # A post is published, edited, and its Create and Update arrive.
    post = PostFactory(
        title="Le levain",
        language="fr",
        summaries={"en": "On sourdough."},
        published_at=timezone.now() - timedelta(minutes=1),
    )
    create = mastodon.of_type("Create")
    assert [c["object"]["name"] for c in create] == ["Le levain"], mastodon.refused
    post.title = "Le levain, suite"
    post.save()
    # (the factory adds the summary after the post: that was an Update already)
    assert mastodon.of_type("Update")[-1]["object"]["name"] == "Le levain, suite"
    permalink = salon + post.get_absolute_url()

    # Replies, a reply to a reply, a like and a boost come home.
    first = mastodon.note("alice", "<p>How long do you feed it?</p>", in_reply_to=permalink)
    send("alice", "Create", first)
    second = mastodon.note("bob", "<p>Twice a day here.</p>", in_reply_to=first["id"])
    send("bob", "Create", second)
    like = send("alice", "Like", permalink)
    send("bob", "Announce", permalink)
    responses = {r.author_name + r.kind: r for r in Response.objects.all()}
    assert set(responses) == {
        "Alice" + Kind.REPLY,
        "Bob" + Kind.REPLY,
        "Alice" + Kind.LIKE,
        "Bob" + Kind.REPOST,
    }
    assert responses["Bob" + Kind.REPLY].parent == responses["Alice" + Kind.REPLY]
    assert all(r.state == State.PENDING for r in responses.values())  # a new server: moderated

    # After moderation they appear in the post's conversation.
    for response in responses.values():
        services.approve(response)
    page = client.get(post.get_absolute_url(), HTTP_HOST=salon.split("//")[1]).content.decode()
    assert "How long do you feed it?" in page and "Twice a day here." in page

    # An edit, a deletion and an Undo.
    first["content"] = first["contentMap"]["en"] = "<p>How often do you feed it?</p>"
    send("alice", "Update", first)
    send("bob", "Delete", {"id": second["id"], "type": "Tombstone"})
    send("alice", "Undo", like)
    kinds = sorted(Response.objects.values_list("author_name", "kind"))
    assert kinds == [("Alice", Kind.REPLY), ("Bob", Kind.REPOST)]
    assert "How often" in Response.objects.get(kind=Kind.REPLY).content_html

    # The author answers in Salon: the Note reaches Alice's inbox, in the author's language.
    parent = Response.objects.get(kind=Kind.REPLY)
    services.answer(parent, "Deux fois par jour, à heures fixes.", language="fr")
    notes = [c["object"] for c in mastodon.of_type("Create") if c["object"]["type"] == "Note"]
    assert len(notes) == 1, mastodon.refused
    assert notes[0]["inReplyTo"] == first["id"] and list(notes[0]["contentMap"]) == ["fr"]
    assert ("/users/alice/inbox", mastodon.of_type("Create")[-1]) in mastodon.received

    # The post is unpublished: a Delete, and 410 with a Tombstone afterwards.
    post.status = "draft"
    post.save()
    assert mastodon.of_type("Delete")[0]["object"]["type"] == "Tombstone"
    assert mastodon.refused == []
    kinds = [activity["type"] for _path, activity in mastodon.received]
    assert kinds == ["Accept", "Create", "Update", "Update", "Create", "Delete"]
