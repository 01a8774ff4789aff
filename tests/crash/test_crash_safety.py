"""Killed without warning (SIGKILL: no clean-up runs), Salon loses nothing it said it kept and
keeps nothing half-done: a killed import leaves no post, a killed backup is refused by restore
and leaves the site as it was, a server killed amid a burst of comments kept every comment it
answered 303 to. After each, Salon starts again on the same data and no process is left.

Each run is real processes on a SQLite database of its own in a temporary data folder (the
PostgreSQL lane runs them the same way: a transaction there is PostgreSQL's own)."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from salon.portability import pipeline
from salon.portability.tests.test_killed_import import children_of, is_running, large_export
from salon.testing import free_port

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

SALON = [sys.executable, "-m", "salon"]


@pytest.fixture
def site(tmp_path):
    """A data folder, its environment, and a migrated SQLite database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SALON_", "DATABASE_URL"))
    }
    env.update(
        SALON_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="salon.settings",
        SALON_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SALON_TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    subprocess.run([*SALON, "migrate", "-v0"], env=env, check=True, timeout=180)
    return tmp_path, env


def database(tmp_path):
    return sqlite3.connect(tmp_path / "data" / "salon.sqlite3")


def consistent(tmp_path):
    with database(tmp_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def count(tmp_path, table):
    with database(tmp_path) as db:
        return db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def kill_and_reap(process):
    family = [process.pid, *children_of(process.pid)]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=20)
    deadline = time.monotonic() + 10
    while any(is_running(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in family if is_running(pid)], "a process outlived the kill"


def test_a_killed_import_leaves_nothing_then_imports_whole(site):
    tmp_path, env = site
    export = tmp_path / "big.wxr"
    large_export(export, pipeline.CHILD_PROCESS_MIN_BYTES + 1024 * 1024)
    items = export.read_text().count("<item>")
    command = subprocess.Popen(
        [*SALON, "import-wxr", str(export)], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not children_of(command.pid) and time.monotonic() < deadline:
        assert command.poll() is None, "the import ended before it could be killed"
        time.sleep(0.01)
    time.sleep(0.4)  # rows are being written, not committed
    kill_and_reap(command)
    consistent(tmp_path)
    assert count(tmp_path, "blog_post") == 0, "half an import was kept"
    assert count(tmp_path, "portability_importeditem") == 0

    # Started again on the same data: the whole file, once.
    subprocess.run(
        [*SALON, "import-wxr", str(export)],
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    consistent(tmp_path)
    assert count(tmp_path, "blog_post") == items
    with database(tmp_path) as db:
        assert db.execute("SELECT count(*) FROM blog_post WHERE body_html = ''").fetchone() == (0,)


def test_a_killed_backup_is_refused_and_the_site_is_untouched(site):
    tmp_path, env = site
    subprocess.run(
        [*SALON, "load-demo"], env=env, check=True, timeout=180, stdout=subprocess.DEVNULL
    )
    media = tmp_path / "data" / "media" / "bulk"
    media.mkdir(parents=True)
    for number in range(120):  # enough to copy and hash for the kill to land midway
        (media / f"photo-{number}.jpg").write_bytes(os.urandom(512 * 1024))
    posts = count(tmp_path, "blog_post")
    target = tmp_path / "backup"
    command = subprocess.Popen(
        [*SALON, "backup", "-o", str(target)], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not (target / "media").exists() and time.monotonic() < deadline:
        assert command.poll() is None, "the backup ended before it could be killed"
        time.sleep(0.005)
    kill_and_reap(command)
    assert not (target / "manifest.json").exists(), "the kill came too late to test anything"

    refused = subprocess.run(
        [*SALON, "restore", str(target), "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert str(target) in refused.stderr + refused.stdout
    consistent(tmp_path)
    assert count(tmp_path, "blog_post") == posts

    # Started again: a new backup completes and restores.
    again = tmp_path / "backup-2"
    subprocess.run(
        [*SALON, "backup", "-o", str(again)],
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [*SALON, "restore", str(again), "--noinput"],
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    consistent(tmp_path)
    assert count(tmp_path, "blog_post") == posts


def serve(env):
    port = free_port()
    server = subprocess.Popen(
        [*SALON, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server did not start"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server never listened")


def test_a_server_killed_amid_comments_kept_every_one_it_accepted(site):
    tmp_path, env = site
    env = dict(
        env,
        SALON_COMMENTS_MODERATION="none",
        SALON_COMMENTS_RATE_LIMIT="off",
        SALON_COMMENTS_MIN_SECONDS="0",
        SALON_PAGE_CACHE_SECONDS="0",
    )
    subprocess.run(
        [*SALON, "load-demo"], env=env, check=True, timeout=180, stdout=subprocess.DEVNULL
    )
    with database(tmp_path) as db:
        (post_id, year, month, day, slug) = db.execute(
            "SELECT id, strftime('%Y', published_at), strftime('%m', published_at),"
            " strftime('%d', published_at), slug FROM blog_post WHERE status = 'published'"
            " ORDER BY id LIMIT 1"
        ).fetchone()
    post_url = f"/{year}/{month}/{day}/{slug}/"
    before = count(tmp_path, "conversations_response")
    server, base = serve(env)
    accepted, lock, stop = [], threading.Lock(), threading.Event()

    def reader(number):
        with httpx.Client(base_url=base, timeout=5) as client:
            try:
                page = client.get(post_url, follow_redirects=True).text
                # What the page's script does when the reader starts on the form.
                stamp = re.search(r'data-shown-url="([^"]+)"', page).group(1)
                shown = client.get(stamp).json()["shown"]
            except (httpx.HTTPError, AttributeError, ValueError):
                return
            sent = 0
            while not stop.is_set():
                text = f"Burst comment {number}-{sent}"
                try:
                    answer = client.post(
                        f"/comments/post/{post_id}/",
                        data={
                            "name": f"Reader {number}",
                            "email": f"reader{number}@example.org",
                            "text": text,
                            "homepage": "",
                            "shown": shown,
                        },
                        headers={"Origin": base, "Referer": base + "/"},
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                if answer.status_code in (201, 302, 303):  # 200 would be "send it again"
                    with lock:
                        accepted.append(text)
                sent += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(accepted) < 25 and time.monotonic() < deadline:
        time.sleep(0.02)
    kill_and_reap(server)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(accepted) >= 25, f"only {len(accepted)} comments went through before the kill"

    consistent(tmp_path)
    with database(tmp_path) as db:
        kept = {row[0] for row in db.execute("SELECT content FROM conversations_response")}
    lost = [text for text in accepted if text not in kept]
    assert lost == [], f"{len(lost)} accepted comments were lost"
    assert count(tmp_path, "conversations_response") >= before + len(accepted)

    # Started again on the same data, the post page shows them.
    server, base = serve(env)
    try:
        page = httpx.get(base + post_url, timeout=10, follow_redirects=True)
        assert page.status_code == 200
        shown = [text for text in accepted if text in page.text]
        assert shown == accepted, "the restarted site shows every accepted comment"
    finally:
        kill_and_reap(server)
