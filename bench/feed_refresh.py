"""Feed reader: refresh many followed feeds served by a local server, with bounded concurrency.

    .venv/bin/python bench/feed_refresh.py                          # 500 feeds, 8 at a time
    .venv/bin/python bench/feed_refresh.py --feeds 500 --concurrency 16 --slow-seconds 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reader .venv/bin/python bench/feed_refresh.py

A server in a process of its own (so its work does not count in the reader's time or memory)
serves ``--feeds`` RSS feeds of ``--items`` entries each on 127.0.0.1. One feed in
``--slow-every`` answers only after ``--slow-seconds``. Every feed answers 304 to a request
carrying its current ETag. The refresh then runs exactly as ``salon refresh-feeds`` runs it
(``salon.reader.refresh.refresh_subscriptions``: fetch and parse in a thread pool, write from
the calling thread), in rounds:

1. cold: every feed is new, every answer is a 200 with the whole feed;
2. warm: ``--changed`` of the feeds gained one entry (200), the others answer 304.

Each round prints its wall time and the reader's CPU time, feeds per second, the outcome counts, the most requests the
server saw at once (the concurrency bound at work) and the peak resident memory of the reader
process (its maximum RSS so far, Django and the database driver included). The database is
SQLite in a temporary data dir, or the PostgreSQL database named by DATABASE_URL (emptied first).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PARAGRAPH = (
    "Ce billet parle d'écriture, de marchés et de bicyclettes ; it also wanders into English "
    "now and then, because the blog is bilingual and its readers are too. "
)


# The feed server (its own process) ----------------------------------------------------------


def feed_document(n, version, items):
    now = datetime(2025, 1, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>Blog {n}</title><link>https://blog{n}.example/</link>",
        "<description>A bench feed</description><language>fr</language>",
    ]
    for i in range(version + items - 1, version - 1, -1):  # newest first
        date = now + timedelta(hours=i)
        parts.append(
            f"<item><title>Billet {i} du blog {n}</title>"
            f"<link>https://blog{n}.example/{i}/</link><guid>blog{n}-{i}</guid>"
            f"<pubDate>{format_datetime(date)}</pubDate><category>bench</category>"
            f"<description>{escape(PARAGRAPH * 6)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        state = self.server.state
        if self.path == "/stats":
            return self._send(200, json.dumps(state["stats"]).encode(), "application/json")
        if self.path.startswith("/bump/"):
            every = int(self.path.rsplit("/", 1)[1])
            for n in range(0, state["feeds"], every):
                state["versions"][n] += 1
            state["stats"]["max_in_flight"] = 0
            return self._send(200, b"ok", "text/plain")
        n = int(self.path.strip("/").split("/")[-1].split(".")[0])
        with state["lock"]:
            state["in_flight"] += 1
            state["stats"]["max_in_flight"] = max(
                state["stats"]["max_in_flight"], state["in_flight"]
            )
        try:
            if n % state["slow_every"] == 0:
                time.sleep(state["slow_seconds"])
            etag = f'"{n}-{state["versions"][n]}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", None, {"ETag": etag})
            body = feed_document(n, state["versions"][n], state["items"])
            return self._send(200, body, "application/rss+xml", {"ETag": etag})
        finally:
            with state["lock"]:
                state["in_flight"] -= 1

    def _send(self, status, body, content_type, headers=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def serve(args):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.state = {
        "feeds": args.feeds,
        "items": args.items,
        "slow_every": args.slow_every,
        "slow_seconds": args.slow_seconds,
        "versions": [0] * args.feeds,
        "lock": threading.Lock(),
        "in_flight": 0,
        "stats": {"max_in_flight": 0},
    }
    print(server.server_address[1], flush=True)
    server.serve_forever()


# The reader (this process) --------------------------------------------------------------


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")
    os.environ["SALON_NET_ALLOW_LOOPBACK"] = "1"
    if not os.environ.get("DATABASE_URL"):
        os.environ["SALON_DATA_DIR"] = tempfile.mkdtemp(prefix="salon-bench-reader-")
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--feeds",
            str(args.feeds),
            "--items",
            str(args.items),
            "--slow-every",
            str(args.slow_every),
            "--slow-seconds",
            str(args.slow_seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        run_rounds(args, base)
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_rounds(args, base):
    import django

    django.setup()
    import httpx
    from django.core.management import call_command
    from django.db import connection

    from salon.reader.models import Entry, Subscription
    from salon.reader.refresh import refresh_subscriptions

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    Subscription.objects.bulk_create(
        Subscription(feed_url=f"{base}/feeds/{n}.xml") for n in range(args.feeds)
    )
    print(
        f"{args.feeds} feeds of {args.items} entries on {base}, {args.concurrency} at a time; "
        f"1 in {args.slow_every} answers after {args.slow_seconds:g} s; "
        f"database: {connection.vendor}"
    )
    print(f"baseline peak RSS (Django loaded, migrated): {peak_rss_mb():.0f} MB")
    rounds = [
        ("cold (all 200)", None),
        (f"warm (1 in {args.changed} changed, rest 304)", args.changed),
    ]
    for name, changed in rounds:
        if changed:
            httpx.get(f"{base}/bump/{changed}")
        started, cpu = time.perf_counter(), time.process_time()
        summary = refresh_subscriptions(Subscription.objects.all(), concurrency=args.concurrency)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        stats = httpx.get(f"{base}/stats").json()
        print(
            f"{name}: {seconds:.2f} s ({cpu:.2f} s of CPU in the reader), "
            f"{args.feeds / seconds:.0f} feeds/s — {summary}; "
            f"at most {stats['max_in_flight']} requests at once; "
            f"peak RSS {peak_rss_mb():.0f} MB; {Entry.objects.count()} entries stored"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20, help="entries per feed")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--slow-every", type=int, default=10, help="1 slow feed in N")
    parser.add_argument("--slow-seconds", type=float, default=1.0)
    parser.add_argument(
        "--changed", type=int, default=2, help="in the warm round, 1 feed in N has a new entry"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
    else:
        bench(args)


if __name__ == "__main__":
    main()
