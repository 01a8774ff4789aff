"""Fan-out: one post to 2,000 followers on 200 inboxes; front-page p95 during against without.

    .venv/bin/python bench/federation_fanout.py [--followers 2000] [--servers 200] [--readers 4]

A Salon served by gunicorn (2 workers × 4 threads, SQLite) with ``salon worker`` running, and
``--servers`` Mastodon-behaving peers on 127.0.0.1 (``salon/federation/tests/peer.py``), each
with a shared inbox that checks Salon's signature before recording a delivery. Followers are
written straight into the database (``--followers`` spread over the servers). ``--readers``
clients read the front page without pause: first for ``--baseline`` seconds with nothing else
going on, then while a post is published (its Create goes to every server's shared inbox)
until every inbox has it. Prints the time until all are delivered and the front page's p50/p95
in both phases; the rise of p95 is the figure the issue bounds (under 20 %). Never run by the
tests.
"""

import argparse
import json
import os
import sqlite3
import threading
import time

import httpx
from federation_site import Site, percentile
from machine import calibration

from salon.federation.tests.peer import Peer


def readers(base, count, stop, samples):
    def read():
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                begun = time.monotonic()
                answer = client.get(base + "/")
                samples.append((begun, time.monotonic() - begun, answer.status_code))

    threads = [threading.Thread(target=read, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def add_followers(database, peers, followers):
    rows = []
    for n in range(followers):
        peer = peers[n % len(peers)]
        url = f"{peer.base}/users/follower{n}"
        rows.append(
            (
                url,
                "Person",
                f"follower{n}",
                "",
                "127.0.0.1",
                "",
                url,
                url + "/inbox",
                peer.base + "/inbox",
                "",
                "",
                "[]",
                0,
            )
        )
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO federation_remoteactor (url, kind, username, name, domain, icon, "
            "profile_url, inbox, shared_inbox, key_id, public_key_pem, also_known_as, "
            "signs_rfc9421) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        ids = [r[0] for r in db.execute("SELECT id FROM federation_remoteactor")]
        db.executemany(
            "INSERT INTO federation_follower (actor_id, follow_id, created_at) "
            "VALUES (?, '', datetime('now'))",
            [(i,) for i in ids],
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=2000)
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--baseline", type=float, default=20)
    args = parser.parse_args()

    site = Site().start()
    peers = [Peer().start() for _ in range(args.servers)]
    try:
        key = httpx.get(
            site.base + "/ap/actor", headers={"Accept": "application/activity+json"}
        ).json()["publicKey"]
        for peer in peers:  # each server has read Salon's key before (Mastodon caches it)
            peer.known_keys[key["id"]] = key["publicKeyPem"]
        add_followers(site.database, peers, args.followers)
        site.worker()
        time.sleep(3)  # the worker starts
        load = os.getloadavg()[0]

        stop, samples = threading.Event(), []
        threads = readers(site.base, args.readers, stop, samples)
        time.sleep(args.baseline)
        published_at = time.monotonic()
        site.shell(
            "from salon.blog.models import Post;"
            "Post.objects.create(title='Fan-out', language='en', body='To every follower.', status='published')"
        )
        deadline = published_at + 600
        while time.monotonic() < deadline:
            done = sum(1 for peer in peers if peer.of_type("Create"))
            if done == len(peers):
                break
            time.sleep(0.1)
        delivered_at = time.monotonic()
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()

        before = [s[1] for s in samples if s[0] < published_at]
        during = [s[1] for s in samples if published_at <= s[0] <= delivered_at]
        refused = sum(len(peer.refused) for peer in peers)
        p95_before, p95_during = percentile(before, 0.95), percentile(during, 0.95)
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load:.1f}, calibration {calibration()} ms"
        )
        print(
            f"fan-out: {args.followers} followers on {args.servers} servers: all {done} shared "
            f"inboxes delivered {delivered_at - published_at:.1f} s after the post was saved "
            f"(signature refused: {refused})"
        )
        print(
            f"front page without: p50 {percentile(before, 0.5) * 1000:.0f} ms, p95 "
            f"{p95_before * 1000:.0f} ms ({len(before)} requests); during: p50 "
            f"{percentile(during, 0.5) * 1000:.0f} ms, p95 {p95_during * 1000:.0f} ms "
            f"({len(during)} requests); p95 rise {100 * (p95_during / p95_before - 1):+.0f} %"
        )
        print(json.dumps({"statuses": sorted({s[2] for s in samples})}))
    finally:
        for peer in peers:
            peer.stop()
        site.stop()


if __name__ == "__main__":
    main()
