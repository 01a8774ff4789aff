"""A Salon served by its own process, for browser tests that stop and start the server.

``salon runserver`` (what ``salon run`` starts) in a subprocess on a free port of 127.0.0.1,
with its own data folder and SQLite database, migrated once, and an author account. ``kill()``
ends the process at once (SIGKILL: no chance to finish anything), ``start()`` serves again
from the same data.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import salon
from salon.testing import free_port

SRC = Path(salon.__file__).resolve().parents[1]
USERNAME, PASSWORD = "author", "a long enough password 42"


class SalonProcess:
    def __init__(self):
        self.data_dir = Path(tempfile.mkdtemp(prefix="salon-studio-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SALON_", "PYTEST_"))
            and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env.update(
            PYTHONPATH=str(SRC),
            DJANGO_SETTINGS_MODULE="salon.settings",
            SALON_DATA_DIR=str(self.data_dir),
            SALON_SITE_URL=self.url,
            SALON_CACHE_URL="locmem://",
            SALON_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            SALON_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SALON_LOG_LEVEL="WARNING",
            DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        )

    def _salon(self, *args):
        result = subprocess.run(
            [sys.executable, "-m", "salon", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]

    def prepare(self):
        self._salon("migrate", "--verbosity", "0")
        self._salon(
            "createsuperuser", "--noinput", "--username", USERNAME, "--email", "a@example.org"
        )
        return self

    def start(self):
        log = open(self.data_dir / "server.log", "a")  # noqa: SIM115 (the process owns it)
        self.server = subprocess.Popen(
            [sys.executable, "-m", "salon", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                if httpx.get(self.url + "/robots.txt", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError((self.data_dir / "server.log").read_text()[-2000:])

    def kill(self):
        """End the server at once, as a crash or a power cut would."""
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGKILL)
            self.server.wait(timeout=10)

    def stop(self):
        self.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)
