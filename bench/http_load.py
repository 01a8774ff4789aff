"""Load the blog's main pages with wrk on loopback and print requests/s and latency.

    .venv/bin/python bench/http_load.py --posts 2000 [--duration 15] [--workers 4]

Builds a fresh SQLite site of N generated posts (bench/corpus.py) in a temporary data dir,
serves it with gunicorn on 127.0.0.1, then runs `wrk -t2 -c16 -d15s --latency` against `/`,
a post page and a tag page, one after the other. Nothing here runs in the test suite.

Anonymous readers get kept pages (salon.pagecache), so this measures the cache; run it with
``SALON_PAGE_CACHE_SECONDS=0`` to measure rendering, or ``SALON_CACHE_URL=redis://…`` for Redis.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--database-url", default="", help="benchmark PostgreSQL instead")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    data_dir = Path(tempfile.mkdtemp(prefix="salon-bench-"))
    env = dict(os.environ, SALON_DATA_DIR=str(data_dir), SALON_LOG_LEVEL="WARNING")
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    python = sys.executable
    subprocess.run([python, "-m", "salon", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [python, str(ROOT / "bench" / "corpus.py"), "--posts", str(args.posts)], env=env, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "salon.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        post_url = subprocess.run(
            [
                python,
                "-c",
                "import django; django.setup(); from salon.blog.models import Post; "
                "print(Post.objects.published()[len(Post.objects.all()) // 2].get_absolute_url())",
            ],
            env=dict(env, DJANGO_SETTINGS_MODULE="salon.settings"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        pages = {"home /": "/", "post page": post_url, "tag page": "/tag/ville/"}
        print(
            f"Salon, {args.posts} posts, {'PostgreSQL' if args.database_url else 'SQLite'}, "
            f"gunicorn x{args.workers}, wrk -t{args.threads} -c{args.connections} "
            f"-d{args.duration}s on loopback"
        )
        print(f"{'page':<12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for name, path in pages.items():
            for _ in range(20):  # warm up each worker's connections and templates
                urllib.request.urlopen(base + path, timeout=10).read()
            result = subprocess.run(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    "--latency",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            rps, p50, p99, errors = parse_wrk(result.stdout)
            print(f"{name:<12} {rps:>9.1f} {p50:>8.2f} {p99:>8.2f} {errors:>8}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
