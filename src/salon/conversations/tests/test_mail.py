"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1): the author's notice with signed
one-click moderation, confirmed subscriptions, follow-ups in the subscriber's language with
RFC 8058 unsubscription, and retries when the mail server is down."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from salon.conversations import services
from salon.conversations.models import (
    MailState,
    OutgoingMail,
    Response,
    State,
    Subscriber,
    Subscription,
)
from salon.testing import free_port

from .conftest import CommittingClient as Client
from .conftest import html_part, text_part

pytestmark = pytest.mark.django_db(transaction=False)


def link_path(message, kind, action=None):
    """The path of the ``/comments/<kind>/`` link in a message's text part (for moderation
    links, the one whose signed token says ``action``)."""
    from salon.conversations import tokens

    for url in re.findall(r"https?://\S+", text_part(message)):
        path = urlsplit(url).path
        if not path.startswith(f"/comments/{kind}/"):
            continue
        if action and tokens.read_moderation_token(path.split("/")[3])[2] != action:
            continue
        return path
    raise AssertionError(f"no {kind} link in {text_part(message)}")


def test_the_author_is_told_of_a_held_comment_and_approves_it_in_one_click(
    post, send_comment, smtp, parse
):
    send_comment(post, text="Could you say more about this?")
    [notice] = smtp.wait_for(1)
    assert notice["To"] == "author@example.org"
    # The author's mail speaks the blog's first language (French by default).
    assert notice["Subject"].strip() == "[Salon] À modérer : Ada Lovelace sur « A post in English »"
    assert "Could you say more about this?" in text_part(notice)
    approve = link_path(notice, "moderate", "approve")

    # Opening the link only shows the response with the button (mail scanners open links too);
    # no sign-in is needed: the signed link is the permission.
    shown = Client().get(approve)
    assert shown.status_code == 200 and Response.objects.get().state == State.PENDING
    assert parse(shown).cssselect(".moderate form button")
    page = Client().post(approve)
    assert page.status_code == 200
    assert Response.objects.get().state == State.APPROVED
    assert "The response is published." in parse(page).cssselect("[role=status]")[0].text

    # The page offers to undo, which puts the comment back in the queue.
    [undo] = parse(page).cssselect(".moderate form")
    assert Client().post(undo.get("action")).status_code == 200
    assert Response.objects.get().state == State.PENDING


def test_when_a_scanner_follows_every_link_of_the_mail_nothing_changes(
    post, send_comment, smtp, parse
):
    """Mail scanners visit every link of a message: no visit acts; the author still gets what
    they click by pressing its button. (A signed-in author lands on the desk: see
    ``test_desk_answer``.)"""
    send_comment(post)
    [notice] = smtp.wait_for(1)
    scanner = Client()
    for action in ("approve", "spam", "approve"):
        assert scanner.get(link_path(notice, "moderate", action)).status_code == 200
    assert Response.objects.get().state == State.PENDING
    spam_link = link_path(notice, "moderate", "spam")
    assert Client().post(spam_link).status_code == 200
    assert Response.objects.get().state == State.SPAM
    # Once moderated, the other link says so and still offers its button.
    page = scanner.get(link_path(notice, "moderate", "approve"))
    assert "now: Spam" in parse(page).cssselect("[role=status]")[0].text
    assert parse(page).cssselect(".moderate form button")


def test_a_tampered_moderation_link_does_nothing(post, send_comment, smtp, client):
    send_comment(post)
    [notice] = smtp.wait_for(1)
    path = link_path(notice, "moderate", "approve")
    forged = path.replace("/moderate/", "/moderate/x")
    assert client.post(forged).status_code == 400
    assert Response.objects.get().state == State.PENDING


def test_the_authors_mail_speaks_the_language_the_author_chose(post, send_comment, smtp, settings):
    settings.SALON_AUTHOR_LANGUAGE = "en"
    send_comment(post, text="Could you say more about this?")
    [notice] = smtp.wait_for(1)
    assert notice["Subject"].strip() == "[Salon] To moderate: Ada Lovelace on “A post in English”"
    assert "Approve:" in text_part(notice)
    assert "The conversations desk:" in text_part(notice)


def test_a_published_comment_is_announced_too_and_spam_is_not(post, send_comment, smtp, committing):
    with committing():
        services.approve(
            Response.objects.create(
                post=post, author_name="Ada", author_email="ada@example.org", content="Earlier"
            )
        )
    send_comment(post, text="Published at once")
    send_comment(post, text="A robot", email="bot@example.org", homepage="x")
    messages = smtp.wait_for(1)
    assert len(messages) == 1 and "Nouvelle réponse" in messages[0]["Subject"]


def subscribe_and_confirm(send_comment, post, smtp, email, scope, language, parent=None):
    """Comment with follow-ups asked for, confirm through the mailed link; return the comment."""
    before = len(smtp.envelopes)
    send_comment(
        post,
        email=email,
        name=email.split("@")[0],
        notify="on",
        notify_scope=scope,
        parent=parent,
        text=f"Comment by {email}",
        headers={"Accept-Language": language},
    )
    messages = smtp.wait_for(before + 1)  # tests using this turn the author's notice off
    [confirmation] = [m for m in messages[before:] if m["To"] == email]
    path = link_path(confirmation, "confirm")
    client = Client()
    assert client.get(path).status_code == 200
    assert not Subscriber.objects.get(email=email).is_confirmed, "GET only shows a button"
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get(email=email).is_confirmed
    return Response.objects.get(author_email=email, post=post)


def test_follow_ups_reach_subscribers_in_their_language_with_rfc8058_headers(
    post, send_comment, smtp, settings
):
    settings.SALON_AUTHOR_EMAIL = ""  # only follow-ups in the inbox here
    settings.SALON_COMMENTS_MODERATION = "none"
    alice_comment = subscribe_and_confirm(
        send_comment, post, smtp, "alice@example.org", "replies", "fr"
    )
    subscribe_and_confirm(send_comment, post, smtp, "carol@example.org", "all", "en")
    inbox_before = len(smtp.envelopes)

    send_comment(
        post,
        email="bob@example.org",
        name="Bob",
        parent=alice_comment.pk,
        text="Bob answers Alice.",
        notify="on",
        notify_scope="all",
    )
    messages = smtp.wait_for(inbox_before + 3)[inbox_before:]
    by_address = {m["To"]: m for m in messages}
    assert set(by_address) == {"alice@example.org", "carol@example.org", "bob@example.org"}
    assert "confirm" in by_address["bob@example.org"]["Subject"].lower(), (
        "Bob's own comment is not sent to him; he only gets his confirmation"
    )

    alice = by_address["alice@example.org"]
    assert "Nouveau commentaire" in alice["Subject"]
    assert "Bob answers Alice." in text_part(alice)
    assert html_part(alice).get("lang") == "fr"
    assert alice["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    unsubscribe = alice["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe.startswith(settings.SITE_URL)

    carol = by_address["carol@example.org"]
    assert "New comment" in carol["Subject"] and html_part(carol).get("lang") == "en"

    # RFC 8058: the mail client POSTs, without cookies or CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.filter(subscriber__email="alice@example.org").exists()

    inbox_before = len(smtp.envelopes)
    send_comment(
        post, email="dan@example.org", name="Dan", parent=alice_comment.pk, text="Dan too."
    )
    messages = smtp.wait_for(inbox_before + 1)[inbox_before:]
    assert [m["To"] for m in messages] == ["carol@example.org"]


def test_no_follow_up_before_the_address_is_confirmed(post, send_comment, smtp, settings):
    settings.SALON_AUTHOR_EMAIL = ""
    settings.SALON_COMMENTS_MODERATION = "none"
    send_comment(post, email="eve@example.org", notify="on", notify_scope="all")
    [confirmation] = smtp.wait_for(1)
    assert confirmation["To"] == "eve@example.org"
    send_comment(post, email="frank@example.org", text="Frank speaks.")
    send_comment(
        post,
        email="eve@example.org",
        notify="on",
        notify_scope="all",
        text="Eve again, still unconfirmed.",
    )
    assert len(smtp.wait_for(2, timeout=0.5)) == 1, "no follow-up and no second confirmation"


def test_a_confirmed_address_subscribes_again_without_confirming(
    post, send_comment, smtp, settings
):
    settings.SALON_AUTHOR_EMAIL = ""
    settings.SALON_COMMENTS_MODERATION = "none"
    subscribe_and_confirm(send_comment, post, smtp, "gina@example.org", "replies", "en")
    before = len(smtp.envelopes)
    from salon.blog.tests.factories import PostFactory

    other = PostFactory()
    send_comment(
        other, email="gina@example.org", notify="on", notify_scope="all", text="On another post"
    )
    assert len(smtp.wait_for(before + 1, timeout=0.5)) == before
    assert Subscription.objects.get(post=other).active


def test_a_comment_survives_a_mail_server_outage_and_the_mail_follows(
    post, send_comment, smtp, settings
):
    """A comment is stored before any mail is attempted; a failed send is kept and retried."""
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the server is "down"
    response = send_comment(post, text="Written while the mail server is down")
    assert response.status_code == 303
    assert Response.objects.get().content == "Written while the mail server is down"
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (MailState.QUEUED, 1)
    assert mail.last_error and mail.next_attempt_at > mail.created_at

    settings.EMAIL_PORT = working_port
    call_command("send-mail", "--all", stdout=open("/dev/null", "w"))
    [notice] = smtp.wait_for(1)
    assert "Written while the mail server is down" in text_part(notice)
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (MailState.SENT, 2)


def test_a_failed_send_re_enqueues_itself_with_backoff(post, settings):
    """On a backend that can defer (the database worker's), the task schedules its retry."""
    from django_tasks_db.models import DBTaskResult

    from salon.conversations import mail, tasks

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = OutgoingMail.objects.create(
        purpose="test", to="x@example.org", subject="s", body_text="b"
    )
    assert tasks.deliver_mail.call(message.pk) == "retry"
    message.refresh_from_db()
    retry = DBTaskResult.objects.get()
    assert retry.task_path.endswith("deliver_mail")
    assert retry.run_after == message.next_attempt_at
    assert tasks.deliver_mail.call(message.pk) == "retry"
    message.refresh_from_db()
    delays = [mail.retry_delay(n) for n in (1, 2, 3, 20)]
    assert delays == [60, 120, 240, 6 * 3600]
    assert message.attempts == 2


def test_a_message_is_given_up_after_the_last_attempt(settings):
    from salon.conversations import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = OutgoingMail.objects.create(
        purpose="test",
        to="x@example.org",
        subject="s",
        body_text="b",
        attempts=mail.MAX_ATTEMPTS - 1,
    )
    assert not mail.deliver(message)
    assert message.state == MailState.FAILED and message.next_attempt_at is None


def test_unsubscribing_quiets_the_whole_post_and_only_that_post(post):
    """One click stops everything the address follows on this post; other posts carry on."""
    from salon.blog.tests.factories import PostFactory
    from salon.conversations import tokens

    other = PostFactory()
    reader = Subscriber.objects.create(email="hal@example.org", confirmed_at=post.created_at)
    comment = Response.objects.create(
        post=post,
        author_name="Hal",
        content="Mine",
        author_email="hal@example.org",
        state=State.APPROVED,
    )
    replies = Subscription.objects.create(
        subscriber=reader, post=post, scope="replies", response=comment, language="en", active=True
    )
    Subscription.objects.create(
        subscriber=reader, post=post, scope="all", language="en", active=True
    )
    elsewhere = Subscription.objects.create(
        subscriber=reader, post=other, scope="all", language="en", active=True
    )
    path = f"/comments/unsubscribe/{tokens.unsubscribe_token(replies)}/"
    page = Client().get(path)
    assert page.status_code == 200 and Subscription.objects.count() == 3, "GET asks first"
    assert Client().post(path).status_code == 200
    assert list(Subscription.objects.all()) == [elsewhere]
