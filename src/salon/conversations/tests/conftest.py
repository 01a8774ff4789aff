"""Fixtures for the conversation tests: a post, a comment poster, a real SMTP server."""

import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.test import Client, TestCase
from lxml import html

from salon.blog.tests.factories import PostFactory
from salon.conversations import tokens
from salon.testing import free_port


@pytest.fixture(autouse=True)
def conversation_settings(settings):
    """Known, fast settings: mail to a known author, no minimum delay, no rate limit."""
    settings.SALON_AUTHOR_EMAIL = "author@example.org"
    settings.SALON_COMMENTS_MODERATION = "first-time"
    settings.SALON_COMMENTS_MIN_SECONDS = 0
    settings.SALON_COMMENTS_RATE_LIMIT = "off"
    settings.SALON_COMMENTS_MAX_DEPTH = 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield settings
    cache.clear()


class CommittingClient(Client):
    """A test client whose requests end like real ones: the work a view put off until the
    commit (mail tasks) runs when the request is over, although the test keeps one
    transaction around everything."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def committing():
    """``with committing(): ...`` runs the on-commit callbacks of the block at its end."""
    return lambda: TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def post(db):
    return PostFactory(title="A post in English", language="en", body="Hello there.")


@pytest.fixture
def parse():
    def _parse(response):
        return html.fromstring(response.content.decode())

    return _parse


def comment_data(**fields):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "url": "",
        "text": "A thoughtful comment about this post.",
        "shown": tokens.form_timestamp(),
        "homepage": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def send_comment(client):
    """POST the comment form of ``post``; keyword arguments replace form fields."""

    def _send(post, http_client=None, headers=None, **fields):
        return (http_client or client).post(
            f"/comments/post/{post.pk}/", comment_data(**fields), headers=headers or {}
        )

    return _send


class Inbox:
    """What a real SMTP server on 127.0.0.1 received, parsed as e-mail messages."""

    def __init__(self):
        self.envelopes = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    # A method, not a property: aiosmtpd inspects its handler's members for every connection,
    # which would parse every message received so far each time.
    def messages(self):
        with self._lock:
            return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def to(self, address):
        return [m for m in self.messages() if address in m["To"]]

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.messages()


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, with Django's SMTP backend
    pointed at it."""
    inbox = Inbox()
    # server_hostname: skip the reverse DNS lookup aiosmtpd makes for every greeting.
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), server_hostname="smtp.test"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    inbox.controller = controller
    yield inbox
    controller.stop()


def html_part(message):
    return html.fromstring(message.get_body(("html",)).get_content())


def text_part(message):
    return message.get_body(("plain",)).get_content()
