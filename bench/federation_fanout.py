"""Fan-out: one post to 2,000 followers on 200 inboxes; front-page p95 during against without.

    .venv/bin/python bench/federation_fanout.py [--followers 2000] [--servers 200] [--readers 4]
        [--rounds 7] [--baseline 10] [--json FILE]

A Salon served by gunicorn (2 workers × 4 threads, SQLite) with ``salon worker`` running, and
``--servers`` Mastodon-behaving peers on 127.0.0.1 (``salon/federation/tests/peer.py``), each
with a shared inbox that checks Salon's signature before recording a delivery. The peers stand
for other machines: they run in a process of their own (``peer_farm.py``), at Linux's idle
priority, so that their work, which on the real network happens elsewhere, takes only the CPU
time the site leaves; ``--peers-compete`` runs them at normal priority instead.
Followers are written straight into the database (``--followers`` spread over the servers).
``--readers`` clients read the front page without pause. Each of ``--rounds`` rounds (after one
that warms the worker up, not counted) measures
``--baseline`` seconds with nothing else going on, then the time from the moment a post is
saved (by a shell started beforehand) until every server's shared inbox has its Create. Prints
one line per round (time until all are delivered, the front page's p50/p95 in both phases) and
the medians; the rise of p95 is the figure the issue bounds (under 20 %). Never run by the
tests.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from statistics import median

import httpx
from federation_site import Site, percentile
from machine import calibration

FARM = Path(__file__).resolve().parent / "peer_farm.py"


class Farm:
    """The peers' process (``peer_farm.py``): ``bases``, ``know(key_id, pem)``,
    ``count(kind)``."""

    def __init__(self, count, idle):
        self.process = subprocess.Popen(
            [sys.executable, str(FARM), str(count), *(["--idle"] if idle else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.bases = json.loads(self.process.stdout.readline())

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def know(self, key_id, pem):
        self.ask(f"key {key_id}\n{pem.rstrip()}\nEND")

    def count(self, kind, at_least=1):
        return self.ask(f"count {kind} {at_least}")

    def stop(self):
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        self.process.wait(timeout=30)


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


def add_followers(database, bases, followers):
    rows = []
    for n in range(followers):
        base = bases[n % len(bases)]
        url = f"{base}/users/follower{n}"
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
                base + "/inbox",
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


def cpu_seconds(pid):
    """User + system CPU time a process has used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_round(site, farm, number, baseline, samples):
    """Front page alone for ``baseline`` seconds, then post number ``number`` fanned out;
    returns the figures of this round."""
    publish = site.ready_shell(
        "from salon.blog.models import Post;"
        f"Post.objects.create(title='Fan-out {number}', language='en', "
        "body='To every follower.', status='published')"
    )
    began = time.monotonic()
    time.sleep(baseline)
    worker, peers = site.processes[-1].pid, farm.process.pid
    cpu_before = cpu_seconds(worker), cpu_seconds(peers)
    published_at = publish()  # committed: the fan-out starts
    deadline = published_at + 600
    while time.monotonic() < deadline:
        counts = farm.count("Create", number)
        if counts["done"] == len(farm.bases):
            break
        time.sleep(0.05)
    delivered_at = time.monotonic()
    cpu_after = cpu_seconds(worker), cpu_seconds(peers)
    time.sleep(1)  # the last requests of the window end
    quarters = {}
    for begun, took, _status in list(samples):
        if published_at <= begun <= delivered_at:
            quarters.setdefault(int((begun - published_at) * 4), []).append(took)
    before = [s[1] for s in list(samples) if began <= s[0] < published_at]
    during = [s[1] for s in list(samples) if published_at <= s[0] <= delivered_at]
    return {
        "round": number,
        "without": before,
        "during": during,
        "delivered_s": round(delivered_at - published_at, 2),
        "inboxes": counts["done"],
        "worker_cpu_s": round(cpu_after[0] - cpu_before[0], 2),
        "peers_cpu_s": round(cpu_after[1] - cpu_before[1], 2),
        "refused": counts["refused"],
        "requests_without": len(before),
        "requests_during": len(during),
        "p50_without_ms": round(percentile(before, 0.5) * 1000, 2),
        "p95_without_ms": round(percentile(before, 0.95) * 1000, 2),
        "p50_during_ms": round(percentile(during, 0.5) * 1000, 2),
        "p95_during_ms": round(percentile(during, 0.95) * 1000, 2),
        "p95_rise_pct": round(100 * (percentile(during, 0.95) / percentile(before, 0.95) - 1), 1),
        # The front page's p95 in each quarter of a second after the post was saved.
        "p95_by_quarter_ms": [
            round(percentile(quarters.get(q, []), 0.95) * 1000, 1) for q in range(max(quarters) + 1)
        ]
        if quarters
        else [],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=2000)
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--baseline", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--peers-compete", action="store_true")
    parser.add_argument(
        "--worker-nice", help="SALON_WORKER_NICE for the site's worker (default: Salon's own)"
    )
    parser.add_argument("--json", help="also write the rounds to this file")
    args = parser.parse_args()

    env = {"SALON_WORKER_NICE": args.worker_nice} if args.worker_nice is not None else {}
    site = Site(**env).start()
    farm = Farm(args.servers, idle=not args.peers_compete)
    try:
        key = httpx.get(
            site.base + "/ap/actor", headers={"Accept": "application/activity+json"}
        ).json()["publicKey"]
        # Each server has read Salon's key before (Mastodon caches it).
        farm.know(key["id"], key["publicKeyPem"])
        add_followers(site.database, farm.bases, args.followers)
        site.worker()
        time.sleep(3)  # the worker starts
        load = os.getloadavg()[0]
        stop, samples = threading.Event(), []
        threads = readers(site.base, args.readers, stop, samples)
        # A first round warms the worker up (imports, connections, keys): not counted.
        one_round(site, farm, 1, args.baseline, samples)
        rounds = [
            one_round(site, farm, number, args.baseline, samples)
            for number in range(2, args.rounds + 2)
        ]
        stop.set()
        for thread in threads:
            thread.join()
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load:.1f}, calibration "
            f"{calibration()} ms; peers at {'normal' if args.peers_compete else 'idle'} priority, "
            f"worker at SALON_WORKER_NICE "
            f"{args.worker_nice if args.worker_nice is not None else '(default)'}"
        )
        print(
            f"fan-out of one post to {args.followers} followers on {args.servers} servers "
            f"(shared inboxes), {args.readers} clients reading the front page without pause"
        )
        print(
            "round | all delivered after | CPU worker / peers | front page p50 / p95 without"
            " | p50 / p95 during | p95 rise"
        )
        for r in rounds:
            print(
                f"{r['round']:5d} | {r['delivered_s']:17.1f} s | {r['worker_cpu_s']:10.2f} / "
                f"{r['peers_cpu_s']:.2f} s | {r['p50_without_ms']:8.1f} / "
                f"{r['p95_without_ms']:.1f} ms ({r['requests_without']}) | "
                f"{r['p50_during_ms']:.1f} / {r['p95_during_ms']:.1f} ms "
                f"({r['requests_during']}) | {r['p95_rise_pct']:+.0f} %"
            )
        pooled_without = [t for r in rounds for t in r.pop("without")]
        pooled_during = [t for r in rounds for t in r.pop("during")]
        pooled = percentile(pooled_during, 0.95) / percentile(pooled_without, 0.95) - 1
        print(
            f"all rounds pooled: front page p95 {percentile(pooled_without, 0.95) * 1000:.1f} ms "
            f"without ({len(pooled_without)} requests), {percentile(pooled_during, 0.95) * 1000:.1f}"
            f" ms during ({len(pooled_during)}): rise {100 * pooled:+.0f} %"
        )
        print(
            f"median: all delivered after {median(r['delivered_s'] for r in rounds):.1f} s, "
            f"p95 rise {median(r['p95_rise_pct'] for r in rounds):+.0f} %; signatures refused: "
            f"{rounds[-1]['refused']}; statuses: {sorted({s[2] for s in samples})}"
        )
        if args.json:
            Path(args.json).write_text(json.dumps(rounds, indent=1))
    finally:
        farm.stop()
        site.stop()


if __name__ == "__main__":
    main()
