"""Mail never fails silently out of the box: without mail settings `salon check` warns
(salon.W001), and the development server prints mail instead (see test_run.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]


def salon_check(tmp_path, **env):
    """`salon check` in a fresh process, with only the mail settings given here."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SALON_EMAIL_", "DATABASE_URL", "SALON_DEBUG"))
    }
    clean.update(PYTHONPATH=str(SRC), SALON_DATA_DIR=str(tmp_path), **env)
    done = subprocess.run(
        [sys.executable, "-m", "salon", "check"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_check_warns_when_mail_is_not_configured(tmp_path):
    assert "salon.W001" in salon_check(tmp_path)


@pytest.mark.parametrize(
    "setting",
    [
        {"SALON_EMAIL_HOST": "mail.example.org"},
        {"SALON_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    ],
)
def test_check_is_quiet_once_mail_is_configured(tmp_path, setting):
    assert "salon.W001" not in salon_check(tmp_path, **setting)


def test_debug_prints_mail_without_warning(tmp_path):
    """SALON_DEBUG without mail settings: mail goes to the console; nothing to warn about."""
    assert "salon.W001" not in salon_check(tmp_path, SALON_DEBUG="1")
