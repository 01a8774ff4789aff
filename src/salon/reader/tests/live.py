"""Another running Salon for the tests: bootstrapped (demo blog) in its own data dir with its
own SQLite database, then served by `salon runserver` on a free port.

Bootstrapping applies every migration and takes a while, so it starts in the background as soon
as the tests that need it are collected (see conftest.py) and runs beside the other tests.
"""

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

_lock = threading.Lock()
_instance = None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OtherSalon:
    def __init__(self):
        self.data_dir = Path(tempfile.mkdtemp(prefix="salon-reader-other-"))
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.problem = None  # why it could not start, if it could not
        self.server = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._start, daemon=True)

    def _env(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SALON_", "DATABASE_URL", "PYTEST_"))
        }
        env.update(
            SALON_DATA_DIR=str(self.data_dir),
            SALON_SITE_URL=self.base,
            SALON_CACHE_URL="locmem://",
            SALON_SITE_NAME="Other Salon",
            DJANGO_SETTINGS_MODULE="salon.settings",
        )
        return env

    def _start(self):
        try:
            salon = str(Path(sys.executable).with_name("salon"))
            bootstrap = subprocess.run(
                [salon, "bootstrap"], env=self._env(), text=True, capture_output=True, timeout=300
            )
            if bootstrap.returncode != 0:
                self.problem = "`salon bootstrap` failed: " + bootstrap.stderr[-800:]
                return
            log = open(self.data_dir / "server.log", "w")  # noqa: SIM115 - the server's log
            self.server = subprocess.Popen(
                [salon, "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(self.base + "/", timeout=2).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if self.server.poll() is not None:
                    break
                time.sleep(0.2)
            log.flush()
            self.problem = (
                "`salon runserver` did not answer: "
                + (self.data_dir / "server.log").read_text()[-800:]
            )
        except Exception as exc:  # noqa: BLE001 - reported as the reason to skip
            self.problem = f"{type(exc).__name__}: {exc}"
        finally:
            self.ready.set()

    def wait(self, timeout=300):
        self.ready.wait(timeout)
        if not self.ready.is_set():
            self.problem = "the other Salon took more than five minutes to start"
        return self

    def stop(self):
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_in_background():
    """Start the other Salon once per test session (no-op when already started)."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = OtherSalon()
            _instance.thread.start()
            atexit.register(_instance.stop)
        return _instance
