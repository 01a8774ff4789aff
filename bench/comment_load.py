"""200 concurrent commenters for 30 s against a real SQLite site; print what was accepted.

    .venv/bin/python bench/comment_load.py [--commenters 200] [--duration 30] [--workers 4]

Makes a fresh data dir, runs `salon bootstrap` (migrations and the demo blog), serves it with
gunicorn on 127.0.0.1 (SQLite in WAL mode with IMMEDIATE transactions, as configured in
settings.py), reads the comment form of each demo post (its action, and the signed time its
script asks for; comments are sent with the site's Origin, as a browser does), warms every worker up, then lets N commenters loose on those posts: each
sends comments through the real form view as fast as answers come back, asking for JSON so
that an accepted comment is a 201 rather than a 303.

The rate limit and the minimum form time are switched off for the run
(SALON_COMMENTS_RATE_LIMIT=off, SALON_COMMENTS_MIN_SECONDS=0); moderation stays on, and the
author's notice is enqueued for every comment, as on a real site (no worker runs, so the
tasks only pile up in the database: the writes are still made).

Prints comments accepted per second, p50/p99 latency of the POSTs, the answers by status,
and the count of comments stored against the count of 2xx answers: they must be equal
(nothing lost, nothing stored twice, no "database is locked"). Never run by the tests.
"""

import argparse
import asyncio
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ACTION = re.compile(r'class="comment-form" method="post" action="([^"]+)"')
STAMP = re.compile(r'data-shown-url="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"the site did not answer at {url}")


class Tally:
    def __init__(self):
        self.statuses = Counter()
        self.latencies = []  # seconds, accepted POSTs only
        self.errors = Counter()


async def read_form(base, path):
    """The form of one post page: its action and the signed time its script asks for."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        page = await client.get(path)
        stamp = await client.get(STAMP.search(page.text).group(1))
        return {
            "action": ACTION.search(page.text).group(1),
            "shown": stamp.json()["shown"],
            # A browser says which site the form was sent from.
            "headers": {"Accept": "application/json", "Origin": base},
        }


async def commenter(number, base, form, stop_at, tally):
    """Send comments one after the other until ``stop_at``; each is different."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            data = {
                "shown": form["shown"],
                "homepage": "",
                "name": f"Commenter {number}",
                "email": f"bench{number}@example.org",
                "url": "",
                "text": f"Comment {sequence} from commenter {number}: the load bench says "
                f"hello, and asks how the database copes.",
            }
            started = time.monotonic()
            try:
                answer = await client.post(form["action"], data=data, headers=form["headers"])
            except httpx.HTTPError as error:
                tally.errors[type(error).__name__] += 1
                continue
            elapsed = time.monotonic() - started
            tally.statuses[answer.status_code] += 1
            if 200 <= answer.status_code < 300:
                tally.latencies.append(elapsed)
            else:
                tally.errors[answer.text[:120]] += 1


async def warm_up(base, forms, workers, rounds=3):
    """As many simultaneous comments as there are workers, a few times over, so that every
    gunicorn worker has loaded the language detector and compiled its templates before the
    measure starts (a sync worker serves one request at a time, so each gets one)."""

    async def one(number):
        form = forms[number % len(forms)]
        async with httpx.AsyncClient(base_url=base, timeout=120) as c:
            answer = await c.post(
                form["action"],
                data={
                    "shown": form["shown"],
                    "homepage": "",
                    "name": "Warm-up",
                    "email": f"warmup{number}@example.org",
                    "text": f"Warm-up comment {number}.",
                },
                headers=form["headers"],
            )
            return answer.status_code

    statuses = Counter()
    for round_number in range(rounds):
        results = await asyncio.gather(*(one(round_number * workers + n) for n in range(workers)))
        statuses.update(results)
    return statuses


async def prepare(base, post_paths, workers):
    forms = [await read_form(base, path) for path in post_paths]
    return forms, await warm_up(base, forms, workers)


async def load(base, forms, commenters, duration):
    tally = Tally()
    start = time.monotonic()
    stop_at = start + duration
    await asyncio.gather(
        *(commenter(n, base, forms[n % len(forms)], stop_at, tally) for n in range(commenters))
    )
    return tally, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commenters", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30, help="seconds measured")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the data dir")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="salon-bench-comments-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        SALON_DATA_DIR=str(data_dir),
        SALON_SITE_URL=base,
        SALON_LOG_LEVEL="WARNING",
        SALON_COMMENTS_RATE_LIMIT="off",
        SALON_COMMENTS_MIN_SECONDS="0",
        SALON_AUTHOR_EMAIL="author@example.org",
        SALON_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.pop("DATABASE_URL", None)  # the default SQLite site is what is measured
    salon = str(Path(sys.executable).with_name("salon"))
    subprocess.run([salon, "bootstrap"], env=env, check=True, stdout=subprocess.DEVNULL)
    server_log = data_dir / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "salon.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--backlog",
            "2048",
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
        stderr=server_log.open("w"),
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/")
        database = data_dir / "salon.sqlite3"
        with sqlite3.connect(database) as db:
            posts = db.execute(
                "SELECT id, published_at, slug FROM blog_post WHERE status = 'published' "
                "AND comments_open AND password = ''"
            ).fetchall()
        home = httpx.get(f"{base}/", timeout=10).text
        post_paths = sorted(set(re.findall(r'href="(/\d{4}/\d{2}/\d{2}/[^"/]+/)"', home)))
        if not post_paths:
            raise SystemExit("no post found on the home page")
        print(
            f"Site: {base} (data dir {data_dir}, {args.workers} gunicorn workers, "
            f"{len(posts)} open posts, {len(post_paths)} used)"
        )
        started = time.monotonic()
        forms, warm = asyncio.run(prepare(base, post_paths, args.workers))
        print(
            f"Warm-up: {sum(warm.values())} comments in {time.monotonic() - started:.1f} s "
            f"({dict(warm)}), not counted below"
        )
        print(
            f"Load: {args.commenters} commenters for {args.duration:g} s "
            f"(machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before)"
        )

        tally, elapsed = asyncio.run(load(base, forms, args.commenters, args.duration))

        with sqlite3.connect(database) as db:
            stored = db.execute(
                "SELECT COUNT(*) FROM conversations_response WHERE author_email LIKE 'bench%'"
            ).fetchone()[0]
        accepted = sum(n for status, n in tally.statuses.items() if 200 <= status < 300)
        measured = len(tally.latencies)
        print()
        print(
            f"accepted comments/s: {accepted / elapsed:.1f} "
            f"({accepted} in {elapsed:.1f} s, the last answers included)"
        )
        print(
            f"latency p50: {percentile(tally.latencies, 0.50) * 1000:.0f} ms   "
            f"p99: {percentile(tally.latencies, 0.99) * 1000:.0f} ms   "
            f"mean: {statistics.fmean(tally.latencies) * 1000 if measured else 0:.0f} ms"
        )
        print(f"answers by status: {dict(sorted(tally.statuses.items()))}")
        if tally.errors:
            print(f"errors: {dict(tally.errors.most_common(5))}")
        print(
            f"comments stored: {stored}   2xx answers: {accepted}   "
            f"{'EQUAL' if stored == accepted else 'DIFFERENT'}"
        )
        server.terminate()
        server.wait(timeout=30)
        locked = server_log.read_text(errors="replace").count("database is locked")
        print(f'"database is locked" in the server log: {locked}')
        return 0 if stored == accepted and not locked else 1
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            subprocess.run(["rm", "-rf", str(data_dir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
