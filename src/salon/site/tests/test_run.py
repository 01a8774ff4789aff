"""`salon run` says where the site is only once it answers there, says where mail goes when
none is configured, and leaves no process behind when stopped."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from salon.testing import free_port

SRC = Path(__file__).resolve().parents[3]


@pytest.fixture
def site_env(tmp_path):
    """A fresh data dir on SQLite with its tables, and no mail settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SALON_", "DATABASE_URL"))
    }
    env.update(PYTHONPATH=str(SRC), SALON_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="")
    subprocess.run(
        [sys.executable, "-m", "salon", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    return env


def lines_of(stream):
    """The lines a process writes, readable with a timeout."""
    lines = queue.Queue()

    def pump():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_says_serving_once_the_site_answers_and_leaves_nothing_behind(site_env, tmp_path):
    port = free_port()
    with open(tmp_path / "stderr.log", "w") as stderr:
        run = subprocess.Popen(
            [sys.executable, "-m", "salon", "run", f"127.0.0.1:{port}"],
            env=site_env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
    try:
        lines, said = lines_of(run.stdout), []
        deadline = time.monotonic() + 120
        while not any("serving on" in line for line in said):
            assert time.monotonic() < deadline, f"no 'serving on' line in 120 s: {said}"
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            assert line is not None, f"salon run ended: {said}"
            said.append(line)
        # The moment the line is out, the site answers (no waiting, no retry).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=10) as page:
            assert page.status == 200
        assert f"http://127.0.0.1:{port}/" in said[-1]
        # Without mail settings, the development server prints mail, and says so once.
        mail_line = lines.get(timeout=10)
        assert "Mail is printed here" in mail_line and "SALON_EMAIL_HOST" in mail_line
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
    deadline = time.monotonic() + 15
    while group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive(run.pid), "a child of salon run outlived it"
    assert "salon.W001" not in (tmp_path / "stderr.log").read_text(), (
        "the development server prints mail: nothing to warn about"
    )
