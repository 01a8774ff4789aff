"""Answering on the desk, and the author's mailed links landing there.

The answer goes through ``services.answer``: published at once under the author's public name
(never the login name), threaded under the response, announced to the thread's subscribers by
real mail (aiosmtpd on 127.0.0.1). A mailed moderation link never acts on a visit."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from salon.conversations.models import Check, Origin, Response, State

from .test_mail import link_path, subscribe_and_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_card(settings):
    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_URL = "https://camille.example/"
    settings.SALON_AUTHOR_PHOTO = "https://camille.example/photo.jpg"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "pw", first_name="Root", last_name="Login"
    )
    client.force_login(user)
    return client


def answer_url(response):
    return f"/desk/{response.pk}/answer/"


def test_answering_publishes_under_the_public_name_and_tells_the_subscribers(
    post, send_comment, smtp, settings, staff, author_card, parse
):
    settings.SALON_AUTHOR_EMAIL = ""
    settings.SALON_COMMENTS_MODERATION = "none"
    comment = subscribe_and_confirm(send_comment, post, smtp, "alice@example.org", "replies", "en")
    before = len(smtp.envelopes)
    desk = parse(staff.get("/desk/"))
    [form] = desk.cssselect(f"#response-{comment.pk} form.desk-answer-form")
    assert "Camille Martin" in form.text_content(), "the form says whose name signs the answer"
    fields = dict(form.form_values())
    fields["text"] = "Thank you for reading, Alice."
    answer = staff.post(form.get("action"), fields)
    assert answer.status_code == 303
    assert answer["Location"].endswith(f"#response-{comment.pk}")

    reply = Response.objects.get(by_author=True)
    assert reply.parent == comment and reply.state == State.APPROVED
    assert reply.origin == Origin.AUTHOR and reply.checks == Check.AUTHOR
    assert (reply.author_name, reply.author_url, reply.author_photo) == (
        "Camille Martin",
        "https://camille.example/",
        "https://camille.example/photo.jpg",
    )
    [mail] = smtp.wait_for(before + 1)[before:]
    assert mail["To"] == "alice@example.org"
    assert "Thank you for reading, Alice." in mail.get_body(("plain",)).get_content()

    page = parse(Client().get(post.get_absolute_url()))
    [card] = page.cssselect(f"#response-{reply.pk} .p-author.h-card")
    assert card.cssselect(".p-name")[0].text_content() == "Camille Martin"
    shown = page.cssselect(f"#response-{reply.pk}")[0].text_content()
    assert "admin" not in shown and "Root Login" not in shown, "never the login name"
    # The desk shows the answer under the response it answers.
    desk = parse(staff.get("/desk/"))
    assert desk.cssselect(f"#response-{comment.pk} .desk-answers a")[0].get("href") == (
        reply.get_absolute_url()
    )
    assert not desk.cssselect(f"#response-{reply.pk}"), "the author's answers are not listed"


def test_answering_a_held_response_publishes_it(staff, post, author_card):
    held = Response.objects.create(
        post=post, author_name="Bob", content="A question?", state=State.PENDING
    )
    staff.post(answer_url(held), {"text": "An answer.", "language": "en"})
    held.refresh_from_db()
    assert held.state == State.APPROVED
    assert Response.objects.get(by_author=True).language == "en"


@pytest.mark.parametrize(
    "fields, kind, state, message",
    [
        ({}, "comment", State.APPROVED, "Write the answer before publishing it."),
        ({"text": "   "}, "comment", State.APPROVED, "Write the answer before publishing it."),
        ({"text": "x" * 10_001}, "comment", State.APPROVED, "The answer is too long"),
        ({"text": "Hi", "language": "xx"}, "comment", State.APPROVED, "Select a valid choice"),
        ({"text": "Hi"}, "comment", State.SPAM, "cannot be answered"),
        ({"text": "Hi"}, "like", State.APPROVED, "cannot be answered"),
    ],
)
def test_an_answer_that_cannot_be_published_is_refused_and_kept(
    staff, post, parse, fields, kind, state, message
):
    parent = Response.objects.create(post=post, author_name="Bob", kind=kind, state=state)
    page = staff.post(answer_url(parent), fields)
    assert page.status_code == 400
    assert message in parse(page).cssselect("main")[0].text_content()
    assert not Response.objects.filter(by_author=True).exists()
    if fields.get("text", "").strip() and kind == "comment" and state == State.APPROVED:
        assert parse(page).cssselect("textarea[name=text]")[0].text == fields["text"]


def test_the_answer_page_opens_for_staff_only(staff, post, parse):
    parent = Response.objects.create(post=post, author_name="Bob", state=State.APPROVED)
    page = staff.get(answer_url(parent))
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    assert parse(page).cssselect("form.desk-answer-form textarea[name=text]")
    assert Client().get(answer_url(parent)).status_code == 302
    assert staff.get("/desk/999999/answer/").status_code == 404


def test_a_mailed_link_never_acts_on_a_visit(post, send_comment, smtp, parse):
    """Mail scanners follow links: the visit shows the action ready to confirm; the press of
    the button (POST) acts, without signing in: the signed link is the permission."""
    send_comment(post, text="Could you say more?")
    [notice] = smtp.wait_for(1)
    approve = link_path(notice, "moderate", "approve")
    scanner = Client()
    for _visit in range(2):
        page = scanner.get(approve)
        assert page.status_code == 200
        assert Response.objects.get().state == State.PENDING
    [button] = parse(page).cssselect(".moderate form button")
    assert button.text_content() == "Approve"
    assert Client().post(approve).status_code == 200
    assert Response.objects.get().state == State.APPROVED
    # A later visit of the spam link still changes nothing.
    scanner.get(link_path(notice, "moderate", "spam"))
    assert Response.objects.get().state == State.APPROVED


def test_a_mailed_link_opens_the_desk_for_the_signed_in_author(
    post, send_comment, smtp, staff, parse
):
    send_comment(post, text="Could you say more?")
    [notice] = smtp.wait_for(1)
    response = Response.objects.get()
    landing = staff.get(link_path(notice, "moderate", "approve"))
    assert landing.status_code == 302
    assert landing["Location"] == f"/desk/?focus={response.pk}&do=approve#desk-focus"
    assert Response.objects.get().state == State.PENDING
    desk = parse(staff.get(landing["Location"]))
    [form] = desk.cssselect("#desk-focus form")
    [button] = form.cssselect("button[name=action]")
    assert button.get("value") == "approve"
    back = staff.post(form.get("action"), dict(form.form_values()) | {"action": "approve"})
    assert Response.objects.get().state == State.APPROVED
    done = parse(staff.get(back["Location"]))
    assert "Already done" in done.cssselect("#desk-focus [role=status]")[0].text_content()
    assert not done.cssselect("#desk-focus form"), "nothing left to confirm"
    # The mail's own link to the desk shows the response without a ready action.
    plain = parse(staff.get(f"/desk/?focus={response.pk}"))
    assert not plain.cssselect("#desk-focus form")
    assert plain.cssselect(f"#desk-focus a[href='/desk/{response.pk}/answer/']")
    # The mail links the desk and the answer form too.
    assert f"/desk/{response.pk}/answer/" in notice.get_body(("plain",)).get_content()


def test_the_admin_leads_to_the_desk_to_answer(staff, post, parse, author_card):
    parent = Response.objects.create(post=post, author_name="Bob", state=State.APPROVED)
    changelist = parse(staff.get("/admin/conversations/response/"))
    [link] = [a for a in changelist.cssselect("a") if a.text_content() == "Answer on the desk"]
    assert link.get("href") == answer_url(parent)
    [desk] = [a for a in changelist.cssselect(".object-tools a") if "desk" in a.text_content()]
    assert desk.get("href") == "/desk/"
    add = staff.get(f"/admin/conversations/response/add/?post={post.pk}&parent={parent.pk}")
    assert add.status_code == 302 and add["Location"] == answer_url(parent)
    assert staff.get("/admin/conversations/response/add/")["Location"] == "/desk/"
    # Nothing can be created there, signed with whatever name: the add form is gone.
    staff.post(
        "/admin/conversations/response/add/",
        {"post": post.pk, "parent": parent.pk, "author_name": "admin", "content": "Hi"},
    )
    assert Response.objects.count() == 1


def test_the_author_deletes_an_answer_from_the_desk(staff, post, parse, author_card):
    parent = Response.objects.create(post=post, author_name="Bob", state=State.APPROVED)
    staff.post(answer_url(parent), {"text": "Oops, wrong thread."})
    mine = Response.objects.get(by_author=True)
    [form] = parse(staff.get("/desk/")).cssselect(f"#answer-{mine.pk} form")
    answer = staff.post(form.get("action"), dict(form.form_values()) | {"action": "delete"})
    assert answer.status_code == 303 and answer["Location"].endswith(f"#response-{parent.pk}")
    assert list(Response.objects.all()) == [parent]
