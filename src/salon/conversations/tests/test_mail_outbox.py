"""Mail through the outbox (``salon.outbox``), against a real SMTP server on 127.0.0.1 that
refuses (451, "try again later") as many times as it is told, then accepts.

A refused message keeps its count of attempts and the time of its next try (1 min, 2, 4...);
a task backend that can defer holds the retry as a task for that time; one that cannot (the
immediate backend) leaves it to ``salon send-mail``, which sends what is due and nothing
earlier; after the last delay the message is given up and no longer swept.
"""

from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from salon.conversations import mail
from salon.conversations.models import MailState, OutgoingMail
from salon.testing import free_port

from .conftest import Inbox, text_part

pytestmark = pytest.mark.django_db


class ReluctantInbox(Inbox):
    """Answers 451 to the first ``refusals`` messages, then accepts."""

    def __init__(self, refusals):
        super().__init__()
        self.refusals = refusals
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Busy, try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def reluctant_smtp(settings):
    """``reluctant_smtp(refusals)``: a real SMTP server that refuses that many times."""
    controllers = []

    def _start(refusals):
        inbox = ReluctantInbox(refusals)
        controller = Controller(
            inbox, hostname="127.0.0.1", port=free_port(), server_hostname="smtp.test"
        )
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return inbox

    yield _start
    for controller in controllers:
        controller.stop()


def a_message(**fields):
    return OutgoingMail.objects.create(
        purpose="test", to="reader@example.org", subject="Hello", body_text="A message.", **fields
    )


def send_mail(*args):
    out = StringIO()
    call_command("send-mail", *args, stdout=out)
    return out.getvalue()


def test_a_refused_message_waits_for_its_next_try_then_the_sweep_sends_it(
    post, send_comment, reluctant_smtp
):
    """Refused once: one attempt counted, the next try a minute later; the sweep leaves it
    alone until then, and sends it once due."""
    inbox = reluctant_smtp(1)
    send_comment(post, text="Sent while the server is busy")
    message = OutgoingMail.objects.get()
    assert (message.state, message.attempts) == (MailState.QUEUED, 1)
    assert "451" in message.last_error
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)

    assert send_mail() == "Sent 0 message(s); 0 failed and will be retried.\n"
    assert OutgoingMail.objects.get().attempts == 1

    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert send_mail() == "Sent 1 message(s); 0 failed and will be retried.\n"
    [notice] = inbox.wait_for(1)
    assert "Sent while the server is busy" in text_part(notice)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MailState.SENT, 2, "")
    assert message.next_attempt_at is None
    assert send_mail() == "Sent 0 message(s); 0 failed and will be retried.\n"
    assert len(inbox.wait_for(2, timeout=0.3)) == 1


def test_each_refusal_doubles_the_wait(reluctant_smtp):
    """The delays table of mail: 1 min, 2, 4... (at most 6 hours), one per attempt made."""
    reluctant_smtp(3)
    message = a_message()
    for attempts, minutes in ((1, 1), (2, 2), (3, 4)):
        OutgoingMail.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert send_mail() == "Sent 0 message(s); 1 failed and will be retried.\n"
        message.refresh_from_db()
        assert message.attempts == attempts
        wait = message.next_attempt_at - timezone.now()
        assert timedelta(minutes=minutes) - timedelta(seconds=10) < wait
        assert wait <= timedelta(minutes=minutes)
    assert mail.BACKOFF.delays[:4] == (60, 120, 240, 480)
    assert mail.BACKOFF.max_attempts == mail.MAX_ATTEMPTS


def test_after_the_last_delay_the_message_is_given_up_and_no_longer_swept(reluctant_smtp):
    inbox = reluctant_smtp(1)
    message = a_message(attempts=mail.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now())
    assert send_mail() == "Sent 0 message(s); 1 failed and will be retried.\n"
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MailState.FAILED, mail.MAX_ATTEMPTS)
    assert message.next_attempt_at is None and "451" in message.last_error
    assert not OutgoingMail.objects.due().exists()
    assert send_mail("--all") == "Sent 0 message(s); 0 failed and will be retried.\n"
    assert inbox.wait_for(1, timeout=0.3) == []


def test_with_a_deferring_backend_the_sweep_leaves_the_retry_as_a_task(reluctant_smtp, settings):
    """The database backend can hold a task: a refused send swept by the command gets its
    retry as a task waiting for the next try, so the worker carries on by itself."""
    from django_tasks_db.models import DBTaskResult

    reluctant_smtp(1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = a_message()
    assert send_mail() == "Sent 0 message(s); 1 failed and will be retried.\n"
    message.refresh_from_db()
    [retry] = DBTaskResult.objects.filter(task_path__endswith=".deliver_mail")
    assert retry.args_kwargs["args"] == [message.pk]
    assert retry.run_after == message.next_attempt_at
