"""Mastodon-behaving peers in a process of their own, for bench/federation_fanout.py.

    python bench/peer_farm.py COUNT [--idle]

The peers stand for other machines: run in the bench's own process, their request handling
and signature checks would share its interpreter lock with the clients timing the front page
and show up as the site's latency. This process starts ``COUNT`` peers
(``salon/federation/tests/peer.py``), prints their base URLs as one JSON line, then answers
commands read from stdin, one per line:

- ``key KEY_ID`` followed by the PEM on the next lines up to ``END``: every peer knows that key
  (Mastodon caches the keys it fetched before);
- ``count TYPE [N]``: how many peers received at least ``N`` (1) activities of that type, and
  how many signatures were refused, as JSON;
- ``quit``.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from salon.federation.tests.peer import Peer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument(
        "--idle", action="store_true", help="run on CPU time nothing else wants (Linux)"
    )
    args = parser.parse_args()
    if args.idle:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    peers = [Peer().start() for _ in range(args.count)]
    print(json.dumps([peer.base for peer in peers]), flush=True)
    # The peers' server threads are daemons: leaving ends them (stopping 200 servers one by
    # one would wait for each one's poll interval).
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "key":
            pem = "".join(iter(lambda: sys.stdin.readline(), "END\n"))
            for peer in peers:
                peer.known_keys[rest] = pem
            print("{}", flush=True)
        elif command == "count":
            kind, _, at_least = rest.partition(" ")
            at_least = int(at_least or 1)
            done = sum(1 for peer in peers if len(peer.of_type(kind)) >= at_least)
            refused = sum(len(peer.refused) for peer in peers)
            print(json.dumps({"done": done, "refused": refused}), flush=True)
        elif command == "quit":
            break


if __name__ == "__main__":
    main()
