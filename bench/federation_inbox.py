"""Inbox throughput: signed activities verified and stored per second, key cache warm.

    .venv/bin/python bench/federation_inbox.py [--activities 2000] [--actors 20] [--concurrency 16]

A Salon served by gunicorn (2 workers × 4 threads, SQLite) and a Mastodon-behaving peer on
127.0.0.1 (``salon/federation/tests/peer.py``). Each of the peer's actors sends one activity
first (Salon fetches its key then: the warm-up, not measured); then the activities, signed
beforehand (the peer's signing is not what is measured), are POSTed to the shared inbox by
``--concurrency`` clients. Each is a reply (``Create`` of a ``Note``) to a demo post. No worker
runs: what is measured is the inbox's work in the request (size, JSON, signature, digest,
date, replay check, storage); processing waits in the task queue. Prints activities per
second, p50/p99 latency, answers by status and rows stored. Never run by the tests.
"""

import argparse
import json
import os
import re
import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from federation_site import Site, percentile
from machine import calibration

from salon.federation.tests.peer import Peer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--actors", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    site = Site().start()
    peer = Peer().start()
    try:
        home = httpx.get(site.base + "/", timeout=10).text
        post = site.base + re.findall(r'href="(/\d{4}/\d{2}/\d{2}/[^"/]+/)"', home)[0]
        inbox = site.base + "/ap/inbox"
        names = [f"user{n}" for n in range(args.actors)]
        for name in names:
            peer.actor(name)
        started = time.monotonic()
        for name in names:  # warm-up: each key fetched once
            answer = peer.signed_post(name, inbox, peer.activity(name, "Like", post))
            assert answer.status_code == 202, answer.text
        print(
            f"warm-up: {len(names)} keys fetched and cached in {time.monotonic() - started:.1f} s"
        )

        requests = []
        for n in range(args.activities):
            name = names[n % len(names)]
            note = peer.note(
                name, f"<p>Reply {n}: how long does the dough rest?</p>", in_reply_to=post
            )
            body = json.dumps(peer.activity(name, "Create", note)).encode()
            headers = peer.sign(name, "POST", inbox, body)
            headers["Content-Type"] = "application/activity+json"
            requests.append((body, headers))

        latencies, statuses = [], Counter()
        client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.concurrency))

        def send(request):
            body, headers = request
            begun = time.monotonic()
            answer = client.post(inbox, content=body, headers=headers)
            return answer.status_code, time.monotonic() - begun

        load = os.getloadavg()[0]
        started = time.monotonic()
        with ThreadPoolExecutor(args.concurrency) as pool:
            for status, latency in pool.map(send, requests):
                statuses[status] += 1
                latencies.append(latency)
        elapsed = time.monotonic() - started
        with sqlite3.connect(site.database) as db:
            stored = db.execute(
                "SELECT COUNT(*) FROM federation_receivedactivity WHERE kind = 'Create'"
            ).fetchone()[0]
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load:.1f}, calibration {calibration()} ms"
        )
        print(
            f"inbox: {statuses[202] / elapsed:.0f} activities/s verified and stored "
            f"({args.activities} in {elapsed:.1f} s, {args.concurrency} clients, {args.actors} actors)"
        )
        print(
            f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms; answers {dict(statuses)}; stored {stored}"
        )
    finally:
        peer.stop()
        site.stop()


if __name__ == "__main__":
    main()
