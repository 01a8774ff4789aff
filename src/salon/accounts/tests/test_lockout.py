"""Password guessing is slowed to a stop: failures counted per account and per address (the
address as salon.core.client_ip reads it), a lock-out page in the reader's language, a lock-out
that ends by itself, and the author told by mail."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from lxml import html

pytestmark = pytest.mark.django_db

PASSWORD = "a long and right password"


@pytest.fixture
def author(settings):
    settings.SALON_AUTHOR_EMAIL = "author@example.org"
    settings.SALON_AUTHOR_LANGUAGE = "en"
    return get_user_model().objects.create_superuser("author", "me@example.org", PASSWORD)


def sign_in(client, username="author", password="wrong", ip="203.0.113.5", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )


def test_five_failures_lock_the_account_even_with_the_right_password(client, author):
    for _attempt in range(5):
        answer = sign_in(client)
        assert answer.status_code in (200, 429)
    locked = sign_in(client, password=PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    page = html.fromstring(locked.content)
    assert page.get("lang") == "en"
    assert page.cssselect("h1")[0].text_content() == "Too many attempts"
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_every_address(client, author):
    for number in range(5):
        sign_in(client, ip=f"198.51.100.{number + 1}")
    assert sign_in(client, password=PASSWORD, ip="192.0.2.77").status_code == 429


def test_one_address_trying_many_accounts_is_locked(client, author):
    for number in range(5):
        sign_in(client, username=f"guess{number}")
    assert sign_in(client, password=PASSWORD).status_code == 429
    other_reader = sign_in(client, password=PASSWORD, ip="192.0.2.10")
    assert other_reader.status_code == 302, "the account itself was not locked"


def test_the_lockout_page_speaks_french(client, author):
    for _attempt in range(6):
        answer = sign_in(client, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert answer.status_code == 429
    page = html.fromstring(answer.content)
    assert page.get("lang") == "fr"
    assert page.cssselect("h1")[0].text_content() == "Trop de tentatives"
    assert "15 minutes" in page.cssselect(".locked-out p")[0].text_content()


def test_the_lockout_ends_by_itself(client, author):
    for _attempt in range(5):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, password=PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(author.pk)


def test_a_success_before_the_limit_resets_the_count(client, author):
    for _attempt in range(4):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_behind_a_proxy_each_reader_is_counted_by_their_own_address(client, author, settings):
    settings.SALON_TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(5):
        sign_in(
            client, username=f"guess{number}", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
    assert (
        sign_in(
            client, username="guess9", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
        ).status_code
        == 429
    )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.1").exists()
    # The next reader behind the same proxy is not the guesser.
    fine = sign_in(client, password=PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert fine.status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_count(client, author):
    for number in range(5):
        sign_in(client, username=f"guess{number}", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert AccessAttempt.objects.filter(ip_address="203.0.113.5").count() >= 1
    assert sign_in(client, username="guess7", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_the_author_is_told_once_by_mail(client, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(8):
            sign_in(client)
    told = [m for m in mail.outbox if "Sign-in locked" in m.subject]
    assert len(told) == 1, [m.subject for m in mail.outbox]
    assert told[0].to == ["author@example.org"]
    assert "203.0.113.5" in told[0].body and "author" in told[0].body


def test_the_author_is_told_in_their_language(
    client, author, settings, django_capture_on_commit_callbacks
):
    settings.SALON_AUTHOR_LANGUAGE = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(6):
            sign_in(client)
    (told,) = mail.outbox
    assert "Connexion bloquée" in told.subject


def test_many_lockouts_make_one_notice_per_period(
    client, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            for _attempt in range(6):
                sign_in(client, username=f"name{number}", ip=f"198.51.100.{number + 1}")
    assert len(mail.outbox) == 1
