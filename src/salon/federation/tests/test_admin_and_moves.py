"""Followers in the admin (with their server; removing one tells its server), blocks and the
Mastodon domain block list import, and Move both ways."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from lxml import html as lxml_html

from salon.federation import blocklist
from salon.federation.models import Block, BlockKind, Follower, Mention

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db
AP = "application/activity+json"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def followed(client, trusting_peer):
    for name in ("alice", "bob"):
        trusting_peer.actor(name)
        post_signed(
            client, trusting_peer, name, trusting_peer.activity(name, "Follow", SITE + "/ap/actor")
        )
    trusting_peer.received.clear()
    return trusting_peer


def test_followers_are_listed_with_their_server(admin_client, followed):
    page = lxml_html.fromstring(admin_client.get("/admin/federation/follower/").content)
    text = page.text_content()
    assert f"@alice@{followed.host}" in text and "127.0.0.1" in text


def test_removing_a_follower_tells_its_server(admin_client, followed):
    alice = Follower.objects.get(actor__url=followed.actor_id("alice"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            "/admin/federation/follower/",
            {"action": "remove_followers", "_selected_action": [alice.pk]},
        )
    assert response.status_code == 302
    assert list(Follower.objects.values_list("actor__url", flat=True)) == [followed.actor_id("bob")]
    rejects = followed.of_type("Reject")
    assert len(rejects) == 1 and rejects[0]["object"]["actor"] == followed.actor_id("alice")
    assert followed.received[0][0] == "/users/alice/inbox"


def test_blocking_a_follower_in_the_admin_removes_it(admin_client, followed):
    with TestCase.captureOnCommitCallbacks(execute=True):
        admin_client.post(
            "/admin/federation/block/add/",
            {"kind": BlockKind.ACTOR, "value": followed.actor_id("bob"), "reason": "spam"},
        )
    assert list(Follower.objects.values_list("actor__url", flat=True)) == [
        followed.actor_id("alice")
    ]
    assert len(followed.of_type("Reject")) == 1


def test_a_domain_block_covers_its_subdomains():
    Block.objects.create(kind=BlockKind.DOMAIN, value="Bad.Example")
    assert Block.objects.blocks("https://bad.example/users/x")
    assert Block.objects.blocks("https://social.bad.example/users/x")
    assert not Block.objects.blocks("https://notbad.example/users/x")


MASTODON_CSV = """#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
spam.example,suspend,true,true,Spam waves,false
loud.example,silence,false,false,,false
fine.example,noop,false,false,,false
not a domain,suspend,true,true,,false
"""


def test_a_mastodon_domain_block_list_imports(admin_client):
    upload = io.BytesIO(MASTODON_CSV.encode())
    upload.name = "blocks.csv"
    response = admin_client.post("/admin/federation/block/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert sorted(Block.objects.values_list("value", flat=True)) == ["loud.example", "spam.example"]
    assert Block.objects.get(value="spam.example").reason == "Spam waves"
    messages = [str(m) for m in response.context["messages"]]
    assert any("Line 5" in m for m in messages)
    again = blocklist.import_blocks(MASTODON_CSV)
    assert again.added == 0 and again.already == 2


def test_a_plain_list_of_domains_imports():
    report = blocklist.import_blocks("one.example\ntwo.example\n")
    assert report.added == 2


def test_a_file_that_is_not_text_is_refused(admin_client):
    upload = io.BytesIO(b"\xff\xfe\x00garbage")
    upload.name = "blocks.csv"
    response = admin_client.post("/admin/federation/block/import/", {"file": upload})
    assert response.status_code == 200 and b"UTF-8" in response.content
    assert not Block.objects.exists()


def test_mentions_are_listed_for_the_author(admin_client, trusting_peer):
    trusting_peer.actor("carol")
    note = trusting_peer.note(
        "carol", "<p>@blog hello</p>", tag=[{"type": "Mention", "href": SITE + "/ap/actor"}]
    )
    post_signed(
        admin_client, trusting_peer, "carol", trusting_peer.activity("carol", "Create", note)
    )
    assert Mention.objects.count() == 1
    assert b"carol" in admin_client.get("/admin/federation/mention/").content


def test_a_follower_who_moves_is_followed_by_the_new_account(client, followed):
    new = followed.actor("alice2", also_known_as=[followed.actor_id("alice")])
    move = followed.activity("alice", "Move", followed.actor_id("alice"), target=new)
    assert post_signed(client, followed, "alice", move).status_code == 202
    urls = set(Follower.objects.values_list("actor__url", flat=True))
    assert urls == {new, followed.actor_id("bob")}


def test_a_move_to_an_account_that_does_not_name_the_old_one_is_ignored(client, followed):
    new = followed.actor("eve")
    post_signed(
        client,
        followed,
        "alice",
        followed.activity("alice", "Move", followed.actor_id("alice"), target=new),
    )
    assert Follower.objects.filter(actor__url=followed.actor_id("alice")).exists()


def test_follows_arriving_after_a_move_to_this_blog_are_accepted(client, trusting_peer, settings):
    """Mastodon's "move followers": the old account lists this blog's actor as movedTo and
    each follower's server sends a Follow, accepted like any other."""
    settings.SALON_FEDIVERSE_ALSO_KNOWN_AS = [trusting_peer.base + "/users/old"]
    actor = client.get("/ap/actor", HTTP_ACCEPT=AP).json()
    assert actor["alsoKnownAs"] == [trusting_peer.base + "/users/old"]
    trusting_peer.actor("dave")
    post_signed(
        client, trusting_peer, "dave", trusting_peer.activity("dave", "Follow", SITE + "/ap/actor")
    )
    assert len(trusting_peer.of_type("Accept")) == 1


def test_the_blog_moves_its_followers_elsewhere(client, followed):
    target = followed.actor("newhome", also_known_as=[SITE + "/ap/actor"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("federation-move", target, stdout=io.StringIO())
    moves = followed.of_type("Move")
    assert len(moves) == 1  # one shared inbox for both followers
    assert moves[0]["object"] == SITE + "/ap/actor" and moves[0]["target"] == target
    assert client.get("/ap/actor", HTTP_ACCEPT=AP).json()["movedTo"] == target


def test_moving_to_an_account_without_the_alias_is_refused(followed):
    target = followed.actor("stranger")
    with pytest.raises(CommandError, match="alsoKnownAs"):
        call_command("federation-move", target, stdout=io.StringIO())
