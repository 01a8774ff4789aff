"""A killed import leaves nothing behind: the process reading the file dies with the command,
whatever kills it (even SIGKILL, which runs no clean-up), and the database holds nothing of the
import. Through the real `salon import-wxr` command, on a file large enough to be read by a
forked child process (``pipeline.CHILD_PROCESS_MIN_BYTES``)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salon.portability import pipeline

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

ITEM = """<item>
<title>Billet {n}</title><link>https://big.example/?p={n}</link>
<dc:creator>auteur</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>billet-{n}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
"""


def large_export(path, minimum_bytes):
    body = "<p>" + "Un texte assez long pour que le fichier soit gros. " * 20 + "</p>"
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Big</title><link>https://big.example</link><language>fr-FR</language>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://big.example</wp:base_site_url>\n"
            "<wp:base_blog_url>https://big.example</wp:base_blog_url>\n"
        )
        n = 0
        while out.tell() < minimum_bytes:
            n += 1
            out.write(ITEM.format(n=n, body=body))
        out.write("</channel>\n</rss>\n")


def children_of(pid):
    """The pids whose parent is ``pid``, by scanning /proc (no psutil)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def is_running(pid):
    """True while ``pid`` is a live process (a zombie waiting to be reaped is dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_killing_the_command_kills_the_process_reading_the_file(tmp_path):
    export = tmp_path / "big.wxr"
    large_export(export, pipeline.CHILD_PROCESS_MIN_BYTES + 1024 * 1024)
    env = dict(os.environ, SALON_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="salon.settings")
    env.pop("DATABASE_URL", None)  # the command's own SQLite database in tmp_path
    salon = [sys.executable, "-m", "salon"]
    subprocess.run([*salon, "migrate", "-v0"], env=env, check=True, timeout=120)
    command = subprocess.Popen(
        [*salon, "import-wxr", str(export)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline, readers = time.monotonic() + 60, []
        while not readers and command.poll() is None and time.monotonic() < deadline:
            readers = children_of(command.pid)
            time.sleep(0.01)
        assert readers, "the import never forked its reading process: " + (
            command.stderr.read().decode() if command.poll() is not None else "still running"
        )
        time.sleep(0.3)  # the writer is under way: rows are written, not yet committed
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(is_running(pid) for pid in readers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in readers if is_running(pid)], "the reading process outlived it"
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    database = sqlite3.connect(tmp_path / "salon.sqlite3")
    try:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("SELECT count(*) FROM blog_post").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM portability_importeditem").fetchone() == (0,)
    finally:
        database.close()
