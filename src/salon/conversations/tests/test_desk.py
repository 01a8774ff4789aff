"""The conversations desk (``/desk/``): every reader's response from every door, newest first,
filtered, with what the spam checks said; moderation inline and in bulk, by POST only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salon.blog.tests.factories import PostFactory
from salon.conversations import services
from salon.conversations.models import (
    Check,
    Origin,
    OutgoingMail,
    Response,
    State,
    Subscriber,
    Subscription,
)

pytestmark = pytest.mark.django_db

DESK = "/desk/"
ACT = "/desk/act/"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def reader(post, minutes_ago=0, **fields):
    values = {
        "post": post,
        "author_name": "Bob",
        "author_email": "bob@example.org",
        "content": "Please publish me.",
        "state": State.PENDING,
        "created_at": timezone.now() - timedelta(minutes=minutes_ago),
    }
    values.update(fields)
    return Response.objects.create(**values)


def items(page, parse):
    return parse(page).cssselect(".desk-list > li.desk-item")


def test_only_signed_in_staff_open_the_desk_and_it_is_never_cached(client, staff, post):
    assert Client().get(DESK).status_code == 302, "anonymous: sent to sign in"
    nobody = Client()
    nobody.force_login(get_user_model().objects.create_user("reader", "r@example.org", "pw"))
    assert nobody.get(DESK).status_code == 302, "signed in without staff rights: sent to sign in"
    assert Client().post(ACT, {"ids": [1], "action": "approve"}).status_code == 302
    page = staff.get(DESK)
    assert page.status_code == 200
    cache_control = {part.strip() for part in page["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_every_door_newest_first_with_post_language_kind_door_and_checks(staff, post, parse):
    french = PostFactory(title="Un billet", language="fr")
    reader(post, minutes_ago=30, content="An old comment.", checks=Check.NEW_AUTHOR)
    reader(
        french,
        minutes_ago=20,
        kind="reply",
        origin=Origin.WEBMENTION,
        author_name="Blog de Zoé",
        content="Une réponse venue d’un autre blog, écrite en français.",
        language="fr",
        source_url="https://zoe.example/reponse",
        checks=Check.NEW_DOMAIN,
    )
    reader(
        post,
        minutes_ago=10,
        origin=Origin.ACTIVITYPUB,
        kind="reply",
        author_name="@ann@social.example",
        content="From the fediverse.",
        language="en",
        state=State.APPROVED,
        checks=Check.KNOWN_DOMAIN,
    )
    page = staff.get(DESK, {"show": "all"}, headers={"accept-language": "en"})
    rows = items(page, parse)
    assert [r.cssselect(".desk-who")[0].text_content().strip() for r in rows] == [
        "@ann@social.example",
        "Blog de Zoé",
        "Bob",
    ]
    zoe = rows[1]
    [post_link] = zoe.cssselect("a.desk-post")
    assert post_link.get("href") == french.get_absolute_url() and post_link.get("lang") == "fr"
    assert zoe.cssselect(".desk-language")[0].text_content() == "French"
    assert zoe.cssselect(".desk-text")[0].get("lang") == "fr"
    assert zoe.cssselect(".desk-kind")[0].text_content() == "Reply"
    assert "Webmention" in zoe.cssselect(".desk-door")[0].text_content()
    assert "first response from this domain" in zoe.cssselect(".desk-checks")[0].text_content()
    assert "ActivityPub" in rows[0].cssselect(".desk-door")[0].text_content()
    assert "Comment form" in rows[2].cssselect(".desk-door")[0].text_content()


def test_the_desk_speaks_french(staff, post, parse):
    reader(post, content="Written in English, for sure.", language="en", checks=Check.HOLD_ALL)
    page = staff.get(DESK, headers={"accept-language": "fr"})
    [row] = items(page, parse)
    assert parse(page).get("lang") == "fr"
    assert row.cssselect(".desk-language")[0].text_content() == "Anglais"
    assert "En attente" in row.cssselect(".desk-checks")[0].text_content()
    assert row.cssselect(".action-approve")[0].text_content() == "Approuver"


def test_filters_waiting_all_spam_by_post_and_by_door(staff, post, parse):
    other = PostFactory(title="Another post", language="en")
    reader(post, content="waiting here")
    reader(post, content="published here", state=State.APPROVED)
    reader(post, content="spam here", state=State.SPAM)
    reader(
        other, content="waiting there", origin=Origin.WEBMENTION, source_url="https://x.example/"
    )
    reader(post, content="the author", by_author=True, state=State.APPROVED, origin=Origin.AUTHOR)

    def shown(**query):
        return sorted(
            r.cssselect(".desk-text")[0].text_content().strip()
            for r in items(staff.get(DESK, query), parse)
        )

    assert shown() == ["published here", "waiting here", "waiting there"]
    assert shown(show="waiting") == ["waiting here", "waiting there"]
    assert shown(show="spam") == ["spam here"]
    assert shown(show="all", post=post.pk) == ["published here", "waiting here"]
    assert shown(show="waiting", door="webmention") == ["waiting there"]
    # A malformed filter is ignored, not an error page.
    assert shown(show="nonsense", post="x", door="smoke") == shown()
    tabs = parse(staff.get(DESK, {"show": "waiting"})).cssselect(".desk-tabs a")
    assert [t.text_content().split()[-1] for t in tabs] == ["(2)", "(3)", "(1)"]
    assert tabs[0].get("aria-current") == "page"


def test_the_list_is_paginated(staff, post, parse):
    for minute in range(30):
        reader(post, minutes_ago=minute, content=f"comment {minute}")
    first = staff.get(DESK)
    assert len(items(first, parse)) == 25
    [older] = parse(first).cssselect(".pagination a[rel=next]")
    second = staff.get(DESK + older.get("href"))
    assert [r.cssselect(".desk-text")[0].text_content().strip() for r in items(second, parse)] == [
        f"comment {m}" for m in range(25, 30)
    ]


def test_the_query_count_does_not_grow_with_the_list(staff, post, parse):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(DESK, {"show": "all"}).status_code == 200
        return len(queries)

    for n in range(3):
        parent = reader(PostFactory(language="en"), content=f"few {n}")
        services.answer(parent, "An answer.")
    few = count_queries()
    for n in range(20):
        other = PostFactory(language="fr")
        parent = reader(
            other,
            content=f"many {n}",
            origin=Origin.WEBMENTION,
            source_url=f"https://e.example/{n}",
        )
        reply = reader(other, content=f"reply {n}", parent=parent, kind="reply")
        services.answer(reply, "Merci.")
    assert count_queries() == few


def test_moderating_one_response_inline(staff, post, settings):
    settings.SALON_AUTHOR_EMAIL = ""
    subscriber = Subscriber.objects.create(email="reader@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber, post=post, scope="all", language="en", active=True
    )
    response = reader(post)
    answer = staff.post(
        ACT, {"ids": response.pk, "action": "approve", "next": "/desk/?show=waiting"}
    )
    assert answer.status_code == 303 and answer["Location"] == "/desk/?show=waiting"
    response.refresh_from_db()
    assert response.state == State.APPROVED
    assert OutgoingMail.objects.get().to == "reader@example.org", "approval tells subscribers"
    staff.post(ACT, {"ids": response.pk, "action": "hold"})
    response.refresh_from_db()
    assert response.state == State.PENDING
    staff.post(ACT, {"ids": response.pk, "action": "spam"})
    response.refresh_from_db()
    assert response.state == State.SPAM
    # Somewhere else than the desk: refused, back to the desk.
    assert (
        staff.post(ACT, {"ids": response.pk, "action": "delete", "next": "https://evil.example/"})[
            "Location"
        ]
        == DESK
    )
    assert not Response.objects.exists()


def test_the_script_gets_json(staff, post):
    response = reader(post)
    answer = staff.post(
        ACT, {"ids": response.pk, "action": "approve"}, headers={"accept": "application/json"}
    )
    assert answer.status_code == 200
    assert answer.json()["done"] == [{"id": response.pk, "state": "approved", "label": "Approved"}]
    refused = staff.post(ACT, {"action": "approve"}, headers={"accept": "application/json"})
    assert refused.status_code == 400 and refused.json()["error"] == "Select at least one response."


def test_bulk_moderation_and_its_mistakes(staff, post, parse):
    first, second, third = (reader(post, content=f"number {n}") for n in range(3))
    answer = staff.post(ACT, {"ids": [first.pk, second.pk], "action": "spam"}, follow=True)
    assert (
        "2 responses marked as spam." in parse(answer).cssselect(".desk-messages")[0].text_content()
    )
    assert set(Response.objects.spam().values_list("pk", flat=True)) == {first.pk, second.pk}
    staff.post(ACT, {"ids": [first.pk, second.pk, third.pk], "action": "delete"})
    assert not Response.objects.exists()
    nothing = staff.post(ACT, {"action": "approve"}, follow=True)
    assert "Select at least one response." in nothing.content.decode()
    unknown = staff.post(ACT, {"ids": [1], "action": "publish-everything"}, follow=True)
    assert "Choose what to do" in unknown.content.decode()


def test_every_change_needs_the_csrf_token(post):
    response = reader(post)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.create_superuser("a", "a@example.org", "pw"))
    assert browser.post(ACT, {"ids": response.pk, "action": "approve"}).status_code == 403
    assert browser.post(f"/desk/{response.pk}/answer/", {"text": "Hi"}).status_code == 403
    response.refresh_from_db()
    assert response.state == State.PENDING and Response.objects.count() == 1


def test_no_inline_script_and_forms_that_work_without_it(staff, post, parse):
    reader(post)
    tree = parse(staff.get(DESK))
    scripts = tree.cssselect("script")
    assert scripts and all(s.get("src") and not (s.text or "").strip() for s in scripts)
    assert not tree.xpath("//@*[starts-with(name(), 'on')]"), "no inline event handlers"
    [row] = tree.cssselect(".desk-item")
    [inline] = row.cssselect("form.desk-actions")
    assert inline.get("method") == "post" and inline.get("action") == ACT
    assert {b.get("value") for b in inline.cssselect("button")} == {
        "approve",
        "hold",
        "spam",
        "delete",
    }
    # The bulk checkboxes belong to the bulk form from wherever they are.
    assert row.cssselect("input[type=checkbox][name=ids]")[0].get("form") == "desk-bulk"
    assert tree.cssselect("form#desk-bulk")[0].get("method") == "post"
    # Each control has a name a screen reader can say.
    for control in tree.cssselect("select, textarea"):
        assert tree.cssselect(f"label[for={control.get('id')}]"), control.get("name")


@pytest.mark.parametrize(
    "mode, earlier, fields, state, said",
    [
        ("first-time", False, {}, State.PENDING, "Held: the first response from this e-mail"),
        ("first-time", True, {}, State.APPROVED, "Published: a response from this e-mail"),
        ("all", True, {}, State.PENDING, "every response waits for approval"),
        ("none", False, {}, State.APPROVED, "responses are not moderated"),
        (
            "none",
            False,
            {"text": "https://a.example https://b.example https://c.example"},
            State.PENDING,
            "Held: 3 links, more than allowed.",
        ),
        ("none", False, {"homepage": "http://spam.example"}, State.SPAM, "hidden field"),
        ("none", False, {"shown": "forged"}, State.SPAM, "signed time was missing or forged"),
        ("none", False, {"min_seconds": 60}, State.SPAM, "seconds after the form was shown"),
    ],
)
def test_what_the_spam_checks_said_is_stored_and_shown(
    staff, post, parse, send_comment, settings, mode, earlier, fields, state, said
):
    """Each rule of ``moderation_state`` and of the comment form leaves its reason on the
    response (``Response.checks``), and the desk says it."""
    settings.SALON_COMMENTS_MODERATION = mode
    settings.SALON_COMMENTS_MIN_SECONDS = fields.pop("min_seconds", 0)
    if earlier:
        reader(post, author_email="ada@example.org", content="Earlier.", state=State.APPROVED)
    send_comment(post, **fields)
    response = Response.objects.exclude(content="Earlier.").get()
    assert response.state == state
    show = {State.SPAM: "spam"}.get(state, "all")
    [row] = parse(staff.get(DESK, {"show": show})).cssselect(f"#response-{response.pk}")
    assert said in row.cssselect(".desk-checks")[0].text_content()


def test_a_webmention_from_a_new_domain_says_so(staff, post, parse):
    response = services.submit_response(
        Response(
            post=post,
            kind="mention",
            origin=Origin.WEBMENTION,
            author_name="Zoé",
            source_url="https://zoe.example/post",
            content="A mention.",
        )
    )
    assert response.checks == Check.NEW_DOMAIN
    [row] = parse(staff.get(DESK)).cssselect(f"#response-{response.pk}")
    assert "first response from this domain" in row.cssselect(".desk-checks")[0].text_content()
    assert not row.cssselect(".desk-answer"), "a mention cannot be answered"


def test_what_arrived_since_the_last_sitting_is_marked_new(staff, post, parse):
    """Responses that came after the author's previous look at the desk say "New"; visits
    close together are one sitting, so the marks stay while the author works."""
    old = reader(post, minutes_ago=120, content="Seen already.")
    assert not parse(staff.get(DESK)).cssselect(".desk-new"), "nothing is new the first time"
    session = staff.session
    session["desk_last_seen"] = (timezone.now() - timedelta(hours=1)).isoformat()
    session.save()
    fresh = reader(post, content="Arrived since.")

    for _visit in range(2):  # the second visit is the same sitting: still marked
        page = parse(staff.get(DESK))
        assert page.cssselect(f"#response-{fresh.pk} .desk-new")
        assert not page.cssselect(f"#response-{old.pk} .desk-new")
