"""A site whose address is https is served as one: secure cookies, HSTS, plain http
redirected, and `salon check --deploy` has nothing left to say. X-Forwarded-Proto is believed
from a configured proxy only."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]


def salon(tmp_path, *args, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a
        # deployment does not (check --deploy would rightly object to it).
        if not key.startswith(("SALON_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    clean.update(PYTHONPATH=str(SRC), SALON_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "salon", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({n: getattr(s, n, None) "
    "for n in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_PROXY_SSL_HEADER']}))"
)


def settings_of(tmp_path, **env):
    done = salon(tmp_path, "shell", "-c", SHOW, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_nothing_for_an_https_site(tmp_path):
    done = salon(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SALON_SITE_URL="https://blog.example.org",
        SALON_EMAIL_HOST="mail.example.org",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_an_https_address_turns_on_secure_cookies_hsts_and_the_redirect(tmp_path):
    found = settings_of(tmp_path, SALON_SITE_URL="https://blog.example.org")
    assert found == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_hsts_age_preload_and_proxies_are_settings(tmp_path):
    found = settings_of(
        tmp_path,
        SALON_SITE_URL="https://blog.example.org",
        SALON_HSTS_SECONDS="600",
        SALON_HSTS_PRELOAD="1",
        SALON_HSTS_INCLUDE_SUBDOMAINS="1",
        SALON_TRUSTED_PROXIES="10.0.0.1",
    )
    assert found["SECURE_HSTS_SECONDS"] == 600
    assert found["SECURE_HSTS_PRELOAD"] is True
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_plain_http_site_keeps_plain_cookies(tmp_path):
    found = settings_of(tmp_path, SALON_SITE_URL="http://127.0.0.1:8000")
    assert not found["SESSION_COOKIE_SECURE"] and not found["SECURE_SSL_REDIRECT"]
    assert not found["SECURE_HSTS_SECONDS"]


@pytest.fixture
def behind_a_proxy(settings):
    settings.SALON_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600


@pytest.mark.django_db
def test_only_the_trusted_proxy_says_a_request_came_over_https(client, behind_a_proxy):
    through_proxy = client.get(
        "/robots.txt", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https"
    )
    assert through_proxy.status_code == 200
    assert through_proxy["Strict-Transport-Security"] == "max-age=3600"
    forged = client.get("/robots.txt", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301
    assert forged["Location"].startswith("https://")
    plain = client.get("/robots.txt", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301


def test_former_secret_keys_are_fallbacks(tmp_path):
    done = salon(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; from django.core import signing; "
        "print(signing.loads(signing.dumps('kept', key='o' * 40)), s.SECRET_KEY_FALLBACKS)",
        SALON_SECRET_KEY="n" * 40,
        SALON_SECRET_KEY_FALLBACKS="o" * 40,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "kept " + str(["o" * 40])
