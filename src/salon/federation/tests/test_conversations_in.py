"""Conversations coming in: replies, replies to replies, likes, boosts, edits, deletions and
Undos become (or change) Responses of the post's one thread, moderated like comments; a
mention that replies to nothing is listed for the author; the author's answer goes back."""

import pytest
from django.test import TestCase

from salon.blog.tests.factories import PostFactory
from salon.conversations import services
from salon.conversations.models import Check, Kind, Origin, Response, State
from salon.federation.models import FederatedResponse, Mention

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(trusting_peer):
    trusting_peer.actor("alice", "Alice Liddell")
    trusting_peer.actor("bob", "Bob")
    return trusting_peer


@pytest.fixture
def post():
    return PostFactory(title="Le pain", language="fr")


def send(client, peer, name, kind, obj):
    response = post_signed(client, peer, name, peer.activity(name, kind, obj))
    assert response.status_code == 202, response.content
    return response


def reply(client, peer, name, target, text="<p>Lovely bread!</p>", **extra):
    note = peer.note(name, text, in_reply_to=target, **extra)
    send(client, peer, name, "Create", note)
    return note


def test_a_reply_joins_the_thread_with_its_author_card_and_waits_for_approval(client, peer, post):
    note = reply(
        client,
        peer,
        "alice",
        SITE + post.get_absolute_url(),
        "<p>J’adore ce pain, merci pour la recette.</p>",
        language="fr",
    )
    response = Response.objects.get()
    assert response.post == post and response.parent is None
    assert response.kind == Kind.REPLY and response.origin == Origin.ACTIVITYPUB
    assert response.author_name == "Alice Liddell"
    assert response.author_url == peer.base + "/@alice"
    assert response.author_photo == peer.base + "/avatars/alice.png"
    assert response.language == "fr"
    assert response.state == State.PENDING  # first time from this server
    assert FederatedResponse.objects.get(response=response).ap_id == note["id"]
    page = client.get(post.get_absolute_url())
    assert b"J\xe2\x80\x99adore" not in page.content
    services.approve(response)
    assert "J’adore".encode() in client.get(post.get_absolute_url()).content


def test_language_is_detected_without_a_content_map(client, peer, post):
    note = peer.note(
        "alice",
        "<p>What a wonderful loaf of bread, thank you for the recipe.</p>",
        in_reply_to=SITE + post.get_absolute_url(),
    )
    del note["contentMap"]
    send(client, peer, "alice", "Create", note)
    assert Response.objects.get().language == "en"


def test_content_map_alone_is_read(client, peer, post):
    note = peer.note("alice", "", in_reply_to=SITE + post.get_absolute_url())
    note.pop("content")
    note["contentMap"] = {"de": "<p>Schönes Brot!</p>"}
    send(client, peer, "alice", "Create", note)
    response = Response.objects.get()
    assert "Schönes Brot" in response.content_html and response.language == "de"


def test_attachments_become_links_with_their_alt_text(client, peer, post):
    reply(
        client,
        peer,
        "alice",
        SITE + post.get_absolute_url(),
        attachment=[
            {
                "type": "Document",
                "mediaType": "image/jpeg",
                "url": peer.base + "/m/1.jpg",
                "name": "A round loaf",
            }
        ],
    )
    html = Response.objects.get().content_html
    assert f'href="{peer.base}/m/1.jpg"' in html and "A round loaf" in html


def test_shapes_servers_send_for_addressing_are_tolerated(client, peer, post):
    note = peer.note("alice", "<p>Hi</p>")
    note["inReplyTo"] = {"id": SITE + post.get_absolute_url(), "type": "Article"}
    note["attributedTo"] = [{"id": peer.actor_id("alice"), "type": "Person"}]
    note["to"] = "https://www.w3.org/ns/activitystreams#Public"
    send(client, peer, "alice", "Create", note)
    assert Response.objects.count() == 1


def test_a_reply_to_a_reply_threads_under_it(client, peer, post):
    first = reply(client, peer, "alice", SITE + post.get_absolute_url())
    reply(client, peer, "bob", first["id"], "<p>Agreed!</p>")
    parent = Response.objects.get(federated__ap_id=first["id"])
    child = Response.objects.exclude(pk=parent.pk).get()
    assert child.parent == parent and child.post == post


def test_the_authors_answer_goes_back_and_a_reply_to_it_threads_under_it(client, peer, post):
    note = reply(
        client,
        peer,
        "alice",
        SITE + post.get_absolute_url(),
        "<p>Quelle farine ?</p>",
        language="fr",
    )
    parent = Response.objects.get()
    services.approve(parent)
    peer.received.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = services.answer(parent, "Farine de seigle, surtout.", language="fr")
    creates = peer.of_type("Create")
    assert len(creates) == 1, peer.refused
    assert peer.received[0][0] == "/users/alice/inbox"
    sent = creates[0]["object"]
    assert sent["type"] == "Note" and sent["inReplyTo"] == note["id"]
    assert sent["tag"] == [
        {"type": "Mention", "href": peer.actor_id("alice"), "name": "@alice@" + peer.host}
    ]
    assert (
        peer.actor_id("alice") in sent["cc"]
        and "https://www.w3.org/ns/activitystreams#Public" in sent["to"]
    )
    assert list(sent["contentMap"]) == ["fr"] and "seigle" in sent["content"]
    # The answer and its activity can be fetched, as servers do to check or to show a thread.
    note_url = sent["id"].removeprefix(SITE)
    fetched = client.get(note_url, HTTP_ACCEPT="application/activity+json")
    assert fetched.json()["id"] == sent["id"] and fetched.json()["inReplyTo"] == note["id"]
    assert client.get(note_url)["Location"] == answer.get_absolute_url()
    activity = client.get(
        creates[0]["id"].removeprefix(SITE), HTTP_ACCEPT="application/activity+json"
    )
    assert activity.json()["type"] == "Create"
    # Alice answers the answer: it threads under it.
    reply(client, peer, "alice", sent["id"], "<p>Merci !</p>", language="fr")
    assert Response.objects.get(parent=answer).author_name == "Alice Liddell"


def test_an_answer_to_a_comment_from_the_form_stays_home(client, peer, post):
    comment = Response.objects.create(
        post=post, author_name="Zoé", content="Bravo", state=State.APPROVED
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.answer(comment, "Merci")
    assert peer.received == []


def test_an_edit_updates_and_a_delete_withdraws(client, peer, post):
    note = reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>First words</p>")
    note["content"] = note["contentMap"]["en"] = "<p>Second thoughts</p>"
    send(client, peer, "alice", "Update", note)
    assert "Second thoughts" in Response.objects.get().content_html
    send(client, peer, "alice", "Delete", {"id": note["id"], "type": "Tombstone"})
    assert not Response.objects.exists()


def test_someone_else_cannot_edit_or_delete_a_reply(client, peer, post):
    note = reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>Mine</p>")
    send(client, peer, "bob", "Delete", note["id"])
    assert Response.objects.count() == 1


def test_likes_and_boosts_show_as_faces_and_undo_removes_them(client, peer, post):
    like = peer.activity("alice", "Like", SITE + post.get_absolute_url())
    post_signed(client, peer, "alice", like)
    boost = peer.activity("bob", "Announce", SITE + post.get_absolute_url())
    post_signed(client, peer, "bob", boost)
    kinds = sorted(Response.objects.values_list("kind", flat=True))
    assert kinds == [Kind.LIKE, Kind.REPOST]
    for response in Response.objects.all():
        services.approve(response)
    page = client.get(post.get_absolute_url()).content.decode()
    assert peer.base + "/avatars/alice.png" in page
    send(client, peer, "alice", "Undo", like)
    assert list(Response.objects.values_list("kind", flat=True)) == [Kind.REPOST]


def test_a_mention_replying_to_nothing_is_listed_for_the_author(client, peer, post):
    note = peer.note(
        "alice",
        '<p><a href="https://blog.example/ap/actor" class="mention">@blog</a> have you tried rye?</p>',
        tag=[{"type": "Mention", "href": SITE + "/ap/actor", "name": "@blog@blog.example"}],
    )
    send(client, peer, "alice", "Create", note)
    assert not Response.objects.exists()
    mention = Mention.objects.get()
    assert mention.actor.url == peer.actor_id("alice") and "rye" in mention.content_html


def test_a_note_replying_elsewhere_without_mention_is_ignored(client, peer, post):
    reply(client, peer, "alice", "https://elsewhere.example/notes/1")
    assert not Response.objects.exists() and not Mention.objects.exists()


def test_closed_comments_take_no_replies(client, peer):
    closed = PostFactory(comments_open=False)
    reply(client, peer, "alice", SITE + closed.get_absolute_url())
    assert not Response.objects.exists()


def test_moderation_is_first_time_per_actor(client, peer, post):
    """Alice approved once is published at once afterwards; Bob, on the same server, waits."""
    reply(client, peer, "alice", SITE + post.get_absolute_url())
    services.approve(Response.objects.get())
    reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>Again</p>")
    reply(client, peer, "bob", SITE + post.get_absolute_url(), "<p>Me too</p>")
    states = dict(Response.objects.values_list("content_html", "state"))
    assert states["<p>Again</p>"] == State.APPROVED
    assert states["<p>Me too</p>"] == State.PENDING


def test_the_spam_checks_hold_a_reply_and_the_author_is_told_by_mail(
    client, peer, post, smtp, settings
):
    """The comments' checks and notices apply: the first reply of an actor waits and the
    author is told; even from that actor once approved, a reply with more links than allowed
    waits, with the reason stored, and the author is told again (a real SMTP server)."""
    settings.SALON_AUTHOR_EMAIL = "author@example.org"
    settings.SALON_COMMENTS_MAX_LINKS = 2
    reply(client, peer, "alice", SITE + post.get_absolute_url())
    first = Response.objects.get()
    assert first.state == State.PENDING
    services.approve(first)
    links = "".join(f'<a href="https://example.org/{n}">{n}</a> ' for n in range(5))
    reply(client, peer, "alice", SITE + post.get_absolute_url(), f"<p>Look: {links}</p>")
    held = Response.objects.exclude(pk=first.pk).get()
    assert held.state == State.PENDING and held.checks == Check.TOO_MANY_LINKS
    notices = smtp.wait_for(2)
    assert [m["To"] for m in notices] == ["author@example.org"] * 2
    assert all("Alice Liddell" in m["Subject"] and "Le pain" in m["Subject"] for m in notices)
    assert "Look:" in notices[1].get_body(("plain",)).get_content()


def test_two_notes_claiming_one_address_are_both_kept(client, peer, post):
    shared = peer.actor_id("alice") + "/statuses/shared"
    reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>One</p>", url=shared)
    reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>Two</p>", url=shared)
    assert Response.objects.count() == 2


def test_deleting_the_authors_answer_deletes_it_there_too(client, peer, post):
    note = reply(client, peer, "alice", SITE + post.get_absolute_url(), "<p>Question ?</p>")
    parent = Response.objects.get()
    services.approve(parent)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = services.answer(parent, "Réponse.", language="fr")
    sent = peer.of_type("Create")[0]["object"]
    assert sent["inReplyTo"] == note["id"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.delete(answer)
    deletes = peer.of_type("Delete")
    assert len(deletes) == 1 and deletes[0]["object"]["id"] == sent["id"]
    assert deletes[0]["object"]["type"] == "Tombstone"
    assert peer.received[-1][0] == "/users/alice/inbox"
