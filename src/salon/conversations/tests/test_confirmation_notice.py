"""A reader who asks for follow-ups is told "we just e-mailed you a link" only once the mail
has left; while it waits (a worker will send it, or the mail server refused it and it will be
tried again) the page says it is on its way.

These tests let each request commit as a real one does (``transaction=True``): the mail tasks
run at the commit, before the view answers, as in production.
"""

import pytest
from django.test import Client
from lxml import html

from salon.conversations.models import MailState, OutgoingMail
from salon.testing import free_port

from .conftest import comment_data

pytestmark = pytest.mark.django_db(transaction=True)

SENT = "confirm your subscription with the link we just e-mailed you"
ON_ITS_WAY = "the message is on its way"


def ask_for_followups(post, email):
    """Comment with follow-ups asked for; return the redirect and the page it leads to."""
    client = Client()
    answer = client.post(
        f"/comments/post/{post.pk}/", comment_data(email=email, notify="on", notify_scope="all")
    )
    assert answer.status_code == 303
    page = client.get(answer["Location"])
    notices = html.fromstring(page.content.decode()).xpath(
        '//section[@id="respond"]//p[@role="status"]'
    )
    return answer, " ".join(notice.text_content() for notice in notices)


def test_the_reader_is_told_the_link_was_sent_once_the_server_took_it(post, smtp):
    answer, notices = ask_for_followups(post, "ada@example.org")
    assert [m["To"] for m in smtp.wait_for(2)].count("ada@example.org") == 1
    assert "confirm=sent" in answer["Location"]
    assert SENT in notices and ON_ITS_WAY not in notices


def test_when_the_mail_server_refuses_the_reader_is_told_the_link_is_on_its_way(post, settings):
    """Nothing listens on the mail port (as localhost:25 on a fresh machine): the mail stays
    in the outbox for another attempt, and the reader is not told it was sent."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    answer, notices = ask_for_followups(post, "ada@example.org")
    confirmation = OutgoingMail.objects.get(to="ada@example.org")
    assert confirmation.state == MailState.QUEUED and confirmation.attempts == 1
    assert "confirm=queued" in answer["Location"]
    assert ON_ITS_WAY in notices and SENT not in notices


def test_with_a_background_worker_the_link_is_on_its_way(post, smtp, settings):
    """With the database queue (a worker sends mail later), nothing has left yet."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    answer, notices = ask_for_followups(post, "ada@example.org")
    assert smtp.envelopes == []
    assert "confirm=queued" in answer["Location"]
    assert ON_ITS_WAY in notices and SENT not in notices


def test_the_json_answer_says_whether_the_confirmation_left(post, smtp):
    answer = Client().post(
        f"/comments/post/{post.pk}/",
        comment_data(email="bo@example.org", notify="on"),
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 201
    assert answer.json()["confirmation"] == "sent" and answer.json()["confirmation_sent"]
