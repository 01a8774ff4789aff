"""Moderation in the admin: the queue, approve/spam/hold actions through the services (so
follow-ups go out), and the outbox. (Answering from the admin leads to the desk:
``test_desk_answer``.)"""

import pytest
from django.contrib.auth import get_user_model

from salon.conversations.models import OutgoingMail, Response, State, Subscriber, Subscription

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/conversations/response/"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser(
        "author", "me@example.org", "pw", first_name="Ana", last_name="Author"
    )
    client.force_login(user)
    return client


def held(post, **fields):
    values = {
        "post": post,
        "author_name": "Bob",
        "author_email": "bob@example.org",
        "content": "Please publish me.",
        "state": State.PENDING,
    }
    values.update(fields)
    return Response.objects.create(**values)


def test_the_moderation_queue_lists_and_filters_responses(staff, post):
    held(post)
    held(post, author_name="Spammer", state=State.SPAM)
    page = staff.get(CHANGELIST, {"state__exact": "pending"})
    assert page.status_code == 200
    assert "Please publish me." in page.content.decode()
    assert "Spammer" not in page.content.decode()
    assert staff.get(f"{CHANGELIST}{Response.objects.first().pk}/change/").status_code == 200


def test_approving_in_the_admin_publishes_and_tells_subscribers(staff, post, settings):
    settings.SALON_AUTHOR_EMAIL = ""
    subscriber = Subscriber.objects.create(email="reader@example.org", confirmed_at=post.created_at)
    Subscription.objects.create(
        subscriber=subscriber, post=post, scope="all", language="en", active=True
    )
    response = held(post)
    answer = staff.post(CHANGELIST, {"action": "approve", "_selected_action": [response.pk]})
    assert answer.status_code == 302
    response.refresh_from_db()
    assert response.state == State.APPROVED and response.followups_sent_at
    [mail] = OutgoingMail.objects.all()
    assert mail.to == "reader@example.org" and mail.state == "sent"
    staff.post(CHANGELIST, {"action": "hold", "_selected_action": [response.pk]})
    staff.post(CHANGELIST, {"action": "approve", "_selected_action": [response.pk]})
    assert OutgoingMail.objects.count() == 1, "follow-ups go out once, at the first approval"


def test_marking_as_spam_hides_the_response(staff, client, post):
    response = held(post, state=State.APPROVED, content="Soon spam")
    staff.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [response.pk]})
    response.refresh_from_db()
    assert response.state == State.SPAM
    assert "Soon spam" not in client.get(post.get_absolute_url()).content.decode()


def test_the_author_signed_in_on_the_page_replies_as_the_author(staff, post, parse, settings):
    """The public form, for the signed-in author, is filled with the author's public card."""
    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_URL = "https://camille.example/"
    parent = held(post, state=State.APPROVED)
    page = parse(staff.get(f"{post.get_absolute_url()}?replyto={parent.pk}"))
    [form] = page.cssselect("#respond form")
    fields = dict(form.form_values())
    assert fields["name"] == "Camille Martin" and fields["url"] == "https://camille.example/"
    assert fields["parent"] == str(parent.pk)
    # Sent, it is the author's answer (services.answer), whatever the name field says.
    fields.update(text="Thanks, Bob!", name="admin")
    answer = staff.post(form.get("action"), fields)
    reply = Response.objects.get(by_author=True)
    assert answer.status_code == 303 and answer["Location"].endswith(f"#response-{reply.pk}")
    assert (reply.author_name, reply.parent_id) == ("Camille Martin", parent.pk)


def test_the_demo_author_answers_with_the_authors_card(settings):
    from salon.blog.demo import load_demo
    from salon.conversations.demo import load_demo_conversations

    settings.SALON_AUTHOR_NAME = "Camille Martin"
    settings.SALON_AUTHOR_URL = "https://camille.example/"
    load_demo()
    load_demo_conversations()
    answers = Response.objects.filter(author_name="Camille Martin")
    assert answers.exists()
    assert set(answers.values_list("author_url", flat=True)) == {"https://camille.example/"}


def test_the_outbox_shows_failed_mail_and_sends_it_again(staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail = OutgoingMail.objects.create(
        purpose="followup",
        to="x@example.org",
        subject="Hi",
        body_text="Body",
        attempts=3,
        last_error="refused",
    )
    assert staff.get("/admin/conversations/outgoingmail/").status_code == 200
    staff.post(
        "/admin/conversations/outgoingmail/",
        {"action": "retry_mail", "_selected_action": [mail.pk]},
    )
    mail.refresh_from_db()
    assert mail.state == "sent" and mail.attempts == 4
