"""End to end between two real Salon instances on 127.0.0.1 (two ports, two data dirs, two
SQLite databases, tasks run immediately): blog A replies to a post of blog B; B verifies the
Webmention and shows the reply with A's author card; A edits it and B shows the edit; A deletes
it and B removes it. Nothing is mocked: every step goes through HTTP between the two servers."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import mf2py
import pytest

from salon.testing import free_port

ROOT = Path(__file__).resolve().parents[4]


# A long-lived Django process per instance that runs the snippets sent on stdin, one JSON line
# each: starting ``salon shell`` for every step would cost seconds each time.
DRIVER = """
import json, os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")
import django
django.setup()
for line in sys.stdin:
    namespace = {}
    try:
        exec(json.loads(line), namespace)
        answer = {"ok": True, "result": namespace.get("result")}
    except Exception:
        answer = {"ok": False, "error": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


class Salon:
    """One instance: its environment, a server subprocess and ``salon shell -c`` for writing."""

    def __init__(self, name, data_dir, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("SALON_")
            and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env.update(
            {
                "SALON_DATA_DIR": str(data_dir),
                "SALON_SITE_URL": self.url,
                "SALON_SECRET_KEY": f"e2e-{name}-" + "x" * 40,
                "SALON_NET_ALLOW_LOOPBACK": "1",
                "SALON_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "SALON_CACHE_URL": "locmem://",
                "SALON_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "SALON_LOG_LEVEL": "WARNING",
                **env,
            }
        )
        self.data_dir = Path(data_dir)
        self.server = None
        self.driver = None

    def boot(self):
        """Start this instance's Django process for snippets (``shell``); it does not wait."""
        self.driver = subprocess.Popen(
            [sys.executable, "-c", DRIVER],
            env=self.env,
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log("driver"),
        )
        return self

    def shell(self, code):
        """Run Python in this instance's own Django process (what the author would do in the
        admin); the code leaves its answer in ``result``."""
        self.driver.stdin.write(json.dumps(code) + "\n")
        self.driver.stdin.flush()
        line = self.driver.stdout.readline()
        if not line:
            raise AssertionError(self.log_tail("driver"))
        answer = json.loads(line)
        if not answer["ok"]:
            raise AssertionError(answer["error"])
        return answer["result"]

    def _log(self, name):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return open(self.data_dir / f"{name}.log", "w")  # noqa: SIM115 (the process owns it)

    def log_tail(self, name):
        return (self.data_dir / f"{name}.log").read_text()[-4000:]

    def serve(self):
        """Start the web server (gunicorn, threaded: a request may fetch the other instance
        while that one fetches back); ``wait_ready`` waits for it."""
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "salon.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--timeout",
                "60",
                "--no-control-socket",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._log("server"),
        )
        return self

    def wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
            if self.server.poll() is not None:
                raise RuntimeError(self.log_tail("server"))
        raise RuntimeError(f"{self.url} did not start: {self.log_tail('server')}")

    def stop(self):
        """Ask both processes to end (the caller waits with ``wait_stopped``)."""
        if self.driver is not None and self.driver.poll() is None:
            self.driver.stdin.close()
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown

    def wait_stopped(self):
        for process in (self.driver, self.server):
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def get(self, path):
        return httpx.get(path if path.startswith("http") else self.url + path, timeout=30)


MIGRATE = """
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0, interactive=False)
connection.close()  # the last connection checkpoints the WAL: the file is complete
result = True
"""


@pytest.fixture(scope="module")
def salons(tmp_path_factory):
    # Data dirs in memory when possible: migrations and writes then cost no disk syncs.
    shm = Path("/dev/shm")
    base = (
        Path(tempfile.mkdtemp(prefix="salon-two-", dir=shm))
        if shm.is_dir()
        else tmp_path_factory.mktemp("two-salons")
    )
    a = Salon(
        "a",
        base / "a",
        SALON_AUTHOR_NAME="Alice Martin",
        SALON_AUTHOR_PHOTO="https://alice.example/alice.jpg",
    )
    b = Salon("b", base / "b", SALON_AUTHOR_NAME="Bruno Keller", SALON_COMMENTS_MODERATION="none")
    try:
        a.boot()
        b.boot()
        # Migrate once and copy the database: both start from the same empty schema.
        a.shell(MIGRATE)
        (b.data_dir / "salon.sqlite3").write_bytes((a.data_dir / "salon.sqlite3").read_bytes())
        a.serve()
        b.serve()
        yield a.wait_ready(), b.wait_ready()
    finally:
        a.stop()
        b.stop()
        a.wait_stopped()
        b.wait_stopped()
        shutil.rmtree(base, ignore_errors=True)


CREATE_POST = """
from salon.blog.models import Post
post = Post(title={title!r}, language="fr", status="published", body={body!r},
            in_reply_to_url={reply_to!r})
post.save()
result = {{"id": post.pk, "path": post.get_absolute_url()}}
"""

EDIT_POST = """
from salon.blog.models import Post
post = Post.objects.get(pk={id})
post.body = {body!r}
post.save()
result = {{"path": post.get_absolute_url()}}
"""

DELETE_POST = """
from salon.blog.models import Post
Post.objects.get(pk={id}).delete()
result = True
"""

DELIVERIES = """
from salon.webmention.models import SentWebmention
result = [
    {{"target": r.target, "state": r.state, "status": r.status_code, "location": r.location}}
    for r in SentWebmention.objects.order_by("id")
]
"""


def responses_on(salon, path):
    """The h-cite responses a page shows (wherever the thread puts them), as mf2py reads them."""
    parsed = mf2py.parse(doc=salon.get(path).text, url=salon.url + path, html_parser="lxml")
    found = []

    def walk(items):
        for item in items:
            if not isinstance(item, dict) or "type" not in item:
                continue
            if "h-cite" in item["type"]:
                found.append(item)
            walk(item.get("children", []))
            for values in item.get("properties", {}).values():
                walk(values)

    walk(parsed["items"])
    return found


def text_of(cite):
    content = cite["properties"].get("content", [""])[0]
    return content["value"] if isinstance(content, dict) else content


def test_reply_edit_delete_between_two_salons(salons):
    a, b = salons
    original = b.shell(
        CREATE_POST.format(
            title="Marcher en ville", body="Marcher, c'est penser avec les pieds.", reply_to=""
        )
    )
    target = b.url + original["path"]

    # A replies: publishing sends the Webmention, B verifies it by fetching A's post.
    reply = a.shell(
        CREATE_POST.format(
            title="Réponse à Bruno",
            body="Je ne suis pas d'accord : on pense surtout assis.",
            reply_to=target,
        )
    )
    [delivery] = a.shell(DELIVERIES.format())
    assert (delivery["target"], delivery["state"], delivery["status"]) == (target, "sent", 201)
    status_page = b.get(delivery["location"])
    assert status_page.status_code == 200 and 'data-state="verified"' in status_page.text

    [cite] = [
        c
        for c in responses_on(b, original["path"])
        if "Alice Martin" in json.dumps(c["properties"].get("author", []))
    ]
    author = cite["properties"]["author"][0]["properties"]
    assert author["name"] == ["Alice Martin"]
    assert author["url"] == [a.url + "/"]
    photo = author["photo"][0]
    assert (
        photo["value"] if isinstance(photo, dict) else photo
    ) == "https://alice.example/alice.jpg"
    assert "on pense surtout assis" in text_of(cite)

    # A's reply shows the context it read from B's post.
    a_page = mf2py.parse(doc=a.get(reply["path"]).text, url=a.url + reply["path"])
    entry = [i for i in a_page["items"] if "h-entry" in i["type"]][0]
    context = entry["properties"]["in-reply-to"][0]
    assert context["properties"]["name"] == ["Marcher en ville"]
    assert context["properties"]["author"][0]["properties"]["name"] == ["Bruno Keller"]

    # A edits: B shows the new text, still one response.
    a.shell(EDIT_POST.format(id=reply["id"], body="Finalement, tu as raison : marchons."))
    cites = [
        c
        for c in responses_on(b, original["path"])
        if "Alice Martin" in json.dumps(c["properties"].get("author", []))
    ]
    assert len(cites) == 1
    assert "tu as raison" in text_of(cites[0])

    # A deletes: its permalink answers 410 and B removes the response.
    a.shell(DELETE_POST.format(id=reply["id"]))
    assert a.get(reply["path"]).status_code == 410
    assert [
        c
        for c in responses_on(b, original["path"])
        if "Alice Martin" in json.dumps(c["properties"].get("author", []))
    ] == []
    assert 'data-state="removed"' in b.get(delivery["location"]).text
