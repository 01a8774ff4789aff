"""Posts going out: Create when first listed, Update when what readers see changes, Delete
with a Tombstone when it leaves (410 afterwards); one Delivery per (activity, inbox), shared
inboxes once; retries, a follower gone (410), an inbox that keeps failing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from salon.blog.models import Visibility
from salon.blog.tests.factories import PostFactory
from salon.federation import conf
from salon.federation.models import (
    Block,
    Delivery,
    FederatedPost,
    Follower,
    InboxHealth,
    RemoteActor,
)

from .conftest import SITE, post_signed

pytestmark = pytest.mark.django_db
AP = "application/activity+json"


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def followed(client, trusting_peer):
    """alice and bob of one server follow the blog (their Accepts already received)."""
    for name in ("alice", "bob"):
        trusting_peer.actor(name)
        post_signed(
            client, trusting_peer, name, trusting_peer.activity(name, "Follow", SITE + "/ap/actor")
        )
    trusting_peer.received.clear()
    return trusting_peer


def publish(**kwargs):
    kwargs.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    with committed():
        return PostFactory(**kwargs)


def test_a_published_post_is_created_once_on_each_shared_inbox(followed):
    post = publish(title="Le pain", language="fr", summaries={"en": "About bread."})
    creates = followed.of_type("Create")
    assert len(creates) == 1, followed.refused  # alice and bob share one inbox
    assert followed.received[0][0] == "/inbox"
    article = creates[0]["object"]
    assert article["type"] == "Article"
    assert article["id"] == SITE + post.get_absolute_url()
    assert article["name"] == "Le pain"
    assert article["summary"] == "About bread."
    assert list(article["contentMap"]) == ["fr"]
    assert creates[0]["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    delivery = Delivery.objects.get(activity__kind="Create")
    assert delivery.state == "sent" and delivery.inbox == followed.base + "/inbox"


def test_an_edit_readers_see_is_an_update_and_a_silent_save_is_nothing(followed):
    post = publish()
    with committed():
        post.save()
    assert followed.of_type("Update") == []
    with committed():
        post.title = "Un autre titre"
        post.save()
    updates = followed.of_type("Update")
    assert len(updates) == 1
    assert updates[0]["object"]["name"] == "Un autre titre"
    assert "updated" in updates[0]["object"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "draft"},
        {"visibility": Visibility.UNLISTED},
        {"visibility": Visibility.PRIVATE},
        {"password": "secret"},
    ],
)
def test_leaving_the_list_is_a_delete_and_the_permalink_answers_410(client, followed, change):
    post = publish()
    url = post.get_absolute_url()
    with committed():
        for name, value in change.items():
            setattr(post, name, value)
        post.save()
    deletes = followed.of_type("Delete")
    assert len(deletes) == 1
    assert deletes[0]["object"]["type"] == "Tombstone"
    assert deletes[0]["object"]["id"] == SITE + url
    gone = client.get(url, HTTP_ACCEPT=AP)
    assert gone.status_code == 410
    assert gone.json()["type"] == "Tombstone"


def test_a_deleted_post_is_a_delete_sent_after_the_row_went(client, followed):
    post = publish()
    url = post.get_absolute_url()
    with committed():
        post.delete()
    assert followed.of_type("Delete")[0]["object"]["id"] == SITE + url
    assert client.get(url, HTTP_ACCEPT=AP).status_code == 410
    assert client.get(url).status_code in (404, 410)  # browsers: the blog's own answer


def test_drafts_private_and_protected_posts_are_never_sent(followed):
    publish(status="draft")
    publish(visibility=Visibility.PRIVATE)
    publish(visibility=Visibility.UNLISTED)
    publish(password="secret")
    assert followed.received == []
    assert not FederatedPost.objects.exists()


def test_a_scheduled_post_is_created_at_its_time(followed, settings):
    post = publish(status="scheduled", published_at=timezone.now() + timedelta(hours=1))
    assert followed.received == []
    FederatedPost.objects.filter(post_id=post.pk).update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    type(post).objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    with committed():
        call_command("federation-send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(followed.of_type("Create")) == 1


def test_a_failing_inbox_is_retried_later_with_backoff(followed):
    followed.inbox_status = 503
    publish()
    row = Delivery.objects.get(activity__kind="Create")
    assert row.state == "pending" and row.attempts == 1 and "503" in row.error
    assert (
        timezone.now() + timedelta(seconds=50)
        < row.next_attempt_at
        < timezone.now() + timedelta(seconds=100)
    )
    followed.inbox_status = 202
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with committed():
        call_command("federation-send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2


def test_a_client_error_gives_up_at_once(followed):
    followed.inbox_status = 400
    publish()
    row = Delivery.objects.get(activity__kind="Create")
    assert row.state == "failed" and row.next_attempt_at is None


def test_410_from_a_personal_inbox_removes_the_follower(followed):
    followed.gone.add("/users/alice")
    RemoteActor.objects.update(shared_inbox="")  # personal inboxes only
    publish()
    assert list(Follower.objects.values_list("actor__url", flat=True)) == [followed.actor_id("bob")]


def test_an_inbox_that_keeps_failing_is_marked_and_skipped(followed):
    inbox = followed.base + "/inbox"
    InboxHealth.objects.create(
        inbox=inbox,
        failures=conf.FAILING_INBOX_FAILURES,
        failing_since=timezone.now() - timedelta(days=2),
        marked_failing_at=timezone.now() - timedelta(hours=1),
    )
    publish()
    assert followed.received == []
    assert Delivery.objects.get(activity__kind="Create").state == "skipped"


def test_backoff_runs_from_a_minute_to_a_day_for_about_a_week():
    from salon.federation.delivery import BACKOFF

    assert BACKOFF.delays[0] == 60 and max(BACKOFF.delays) == 24 * 3600
    assert 6 * 86400 < sum(BACKOFF.delays) < 9 * 86400
    assert BACKOFF.jitter > 0


def test_an_old_post_first_seen_is_not_announced_but_its_edits_are(followed):
    """An import or a backdated post is not pushed into timelines as new."""
    post = publish(published_at=timezone.now() - timedelta(days=30))
    assert followed.received == []
    assert FederatedPost.objects.get(post_id=post.pk).state == "created"
    with committed():
        post.title = "Corrigé"
        post.save()
    assert [a["type"] for _p, a in followed.received] == ["Update"]


def test_blocked_servers_get_no_deliveries(followed):
    Block.objects.create(kind="domain", value="127.0.0.1")
    publish()
    assert followed.received == [] and not Delivery.objects.filter(activity__kind="Create").exists()


def fan_out_to(servers):
    """Followers on ``servers`` peers; the Create of a new post stored, not yet attempted."""
    from salon.federation import outgoing

    for n, server in enumerate(servers):
        actor = RemoteActor.objects.create(
            url=f"{server.base}/users/f{n}",
            domain="127.0.0.1",
            inbox=f"{server.base}/users/f{n}/inbox",
            shared_inbox=f"{server.base}/inbox",
        )
        Follower.objects.create(actor=actor)
    post = PostFactory(published_at=timezone.now() - timedelta(minutes=1))
    return outgoing.post_changed(post.pk)


@pytest.mark.parametrize("count", [3, 12])
def test_a_fan_out_records_every_outcome_in_a_constant_number_of_queries(
    trusting_peer, settings, count, django_assert_max_num_queries
):
    """Rows read and written for the whole batch, not per inbox; a failure among successes
    keeps its own retry and health, a success clears an inbox's earlier failures."""
    from salon.federation import delivery, keys, objects
    from salon.federation.models import LocalKey

    from .peer import Peer

    settings.SALON_FEDERATION_CONCURRENCY = 4
    others = [Peer().start() for _ in range(count - 1)]
    try:
        pem = keys.key_for(LocalKey.AUTHOR).public_pem
        for server in others:
            server.known_keys[objects.key_id()] = pem
        servers = [trusting_peer, *others]
        servers[-1].inbox_status = 503
        InboxHealth.objects.create(
            inbox=servers[0].base + "/inbox", failures=3, failing_since=timezone.now()
        )
        ids = fan_out_to(servers)
        assert len(ids) == count
        with django_assert_max_num_queries(10):
            outcomes = delivery.deliver_many(ids)
        assert sum(1 for outcome in outcomes.values() if outcome) == count - 1
        states = dict(Delivery.objects.filter(pk__in=ids).values_list("inbox", "state"))
        assert states.pop(servers[-1].base + "/inbox") == "pending"
        assert set(states.values()) == {"sent"}
        assert all(len(s.of_type("Create")) == 1 for s in servers[:-1])
        health = {h.inbox: h.failures for h in InboxHealth.objects.all()}
        assert health == {servers[0].base + "/inbox": 0, servers[-1].base + "/inbox": 1}
        assert Delivery.objects.get(inbox=servers[-1].base + "/inbox").attempts == 1
    finally:
        for server in others:
            server.stop()
