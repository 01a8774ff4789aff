"""Serving figures: wrk against Salon's public pages under the production server, cache off and
on, on SQLite and on PostgreSQL + Redis, and behind nginx with static publishing, beside the
ceilings measured in the same run (a hello-world WSGI app under the same gunicorn options, and
nginx serving a static file of each page's size).

    .venv/bin/python bench/serve.py --posts 2000 [--duration 15] [--warmup 3]
        [--database-url postgres://postgres@127.0.0.1:5432/salon_bench] [--only sqlite-off …]
        [--runs 3] [--json var/bench/serve-2000.json]

For each database a fresh site is built in a temporary data dir (bench/corpus.py's posts, about
twenty comments on one post, the search index and similar lists), then each configuration is
started as `salon run --production` (gunicorn's gthread worker, one process per core), warmed
up with wrk for ``--warmup`` seconds per page, then measured with ``wrk -t2 -c16`` for
``--duration`` seconds per page on loopback. Pages: ``/``, a language river, a post with about
twenty comments, a tag page, ``/feed/`` and a search. Prints one table (requests/s, p50, p99,
errors, each figure as a fraction of its ceiling: the hello-world app for the app server,
nginx's own static figure for nginx, and the app server's CPU time per request, read from
/proc, steadier than requests per second on a shared machine) and writes it as JSON. With
``--runs N`` every figure, ceilings included, is the median of N measurements (each page's runs
back to back after one warm-up). Nothing here runs in the tests.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import calibration  # noqa: E402

from salon.pagecache.tests.live import (  # noqa: E402
    NGINX,
    Process,
    free_port,
    get,
    salon,
    salon_env,
    start_nginx,
)
from salon.site.management.commands.run import gunicorn_options  # noqa: E402

COMMENTS = """
from datetime import timedelta
from salon.blog.models import Post
from salon.conversations.models import Kind, Origin, Response, State
post = Post.objects.published().order_by("-published_at")[1]
made = []
for n in range(20):
    made.append(Response.objects.create(
        post=post, kind=Kind.COMMENT, origin=Origin.COMMENT_FORM, state=State.APPROVED,
        parent=made[n - 3] if n % 4 == 3 else None,
        author_name=f"Lectrice {n}", author_email=f"reader{n}@example.org",
        content=("Merci pour ce billet sur le jardin et la ville, je le relirai. " * 3)
        if n % 2 else ("Thank you for this post about the garden and the city. " * 3),
        created_at=post.published_at + timedelta(hours=n + 1),
    ))
print("POST", post.get_absolute_url())
"""


def wrk(url, duration, threads=2, connections=16):
    """``{"rps", "p50", "p99", "errors"}`` of one wrk run (latencies in ms)."""
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)) + sum(
        int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out)
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def median_of(runs):
    """One figure from several wrk runs: the median of each measure, the errors summed, and
    every run's requests/s kept."""
    figures = {
        name: statistics.median(run[name] for run in runs)
        for name in runs[0]
        if name not in ("errors", "requests")
    }
    figures.update(
        errors=sum(run["errors"] for run in runs),
        requests=sum(run["requests"] for run in runs),
        runs=[round(run["rps"]) for run in runs],
    )
    return figures


def repeated(url, args):
    return median_of([wrk(url, args.duration) for _ in range(args.runs)])


def session_cpu_seconds(session):
    """CPU time (user and system) used so far by the live processes of a session: a server's
    master, its workers and its task worker. Steadier than requests per second on a shared
    machine, where a neighbour's load or how wrk's connections fall on the worker processes
    moves the throughput from one run to the next while the work per request stays put."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        # After the command: state, ppid, pgrp, session, …, utime (12th), stime (13th).
        if int(fields[3]) == session:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def build_site(name, posts, database_url, work):
    """A data dir with the corpus, comments, index and similar lists: ``(env, pages)``."""
    data_dir = work / name
    settings = {"SALON_COMMENTS_RATE_LIMIT": "off"}
    if database_url:
        import psycopg

        admin = re.sub(r"/[^/]*$", "/postgres", database_url)
        db = database_url.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{db}"')
        settings["DATABASE_URL"] = database_url
    env = salon_env(data_dir, **settings)
    salon(env, "migrate", "-v0")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), "--posts", str(posts)],
        env=dict(env, DJANGO_SETTINGS_MODULE="salon.settings"),
        check=True,
        capture_output=True,
    )
    post = salon(env, "shell", "-c", COMMENTS).split("POST", 1)[1].strip()
    salon(env, "search", "rebuild", timeout=1800)
    salon(env, "similar", "rebuild", timeout=1800)
    settle(env, database_url, data_dir)
    print(f"  {name}: site built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    pages = {
        "home /": "/",
        "river /fr/": "/fr/",
        "post, 20 comments": post,
        "tag /tag/ville/": "/tag/ville/",
        "feed /feed/": "/feed/",
        "search jardin": "/search/?q=jardin",
    }
    return env, pages


def settle(env, database_url, data_dir):
    """The site as it runs from day to day, not seconds after a bulk load: the tasks the build
    queued (the comments' follow-ups) run now rather than during the first measurement, where
    each would start a new generation of fragments; PostgreSQL's statistics and visibility map
    are made now rather than by autovacuum during it; SQLite's write-ahead log is folded in."""
    salon(env, "worker", "--batch", timeout=1800)
    if database_url:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
    else:
        import sqlite3

        connection = sqlite3.connect(data_dir / "salon.sqlite3")
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA optimize")
        finally:
            connection.close()


def start_production(env, log):
    port = free_port()
    process = Process(
        [sys.executable, "-m", "salon", "run", "--production", f"127.0.0.1:{port}"], env, log
    )
    process.wait_for("serving on", timeout=300)
    return process, f"http://127.0.0.1:{port}"


def measure(base, pages, args, config, results, ceiling, server):
    """wrk on each page; ``server`` is the app server's ``Process``, whose CPU per request is
    measured too (behind nginx: what is left for the app)."""
    for page, path in pages.items():
        status, headers, body = get(base + path)
        assert status == 200, (config, page, status)
        wrk(base + path, args.warmup)
        runs = []
        for _ in range(args.runs):
            cpu_before = session_cpu_seconds(server.popen.pid)
            run = wrk(base + path, args.duration)
            spent = session_cpu_seconds(server.popen.pid) - cpu_before
            run["cpu_ms"] = 1000 * spent / max(1, run["requests"])
            runs.append(run)
        figures = median_of(runs)
        figures.update(config=config, page=page, bytes=len(body), ceiling=ceiling(page))
        results.append(figures)
        print(
            f"  {config:<22} {page:<20} {figures['rps']:>8.0f} req/s "
            f"p50 {figures['p50']:.1f} ms p99 {figures['p99']:.1f} ms "
            f"CPU {figures['cpu_ms']:.2f} ms/req",
            file=sys.stderr,
            flush=True,
        )


def hello_ceiling(args, work):
    """The hello-world application's wrk runs (``args.runs`` of them)."""
    port = free_port()
    workers = int(os.environ.get("SALON_WEB_WORKERS") or 0) or os.cpu_count() or 2
    threads = int(os.environ.get("SALON_WEB_THREADS") or 4)
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "bench")]
    command += ["hello_wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += gunicorn_options(workers, threads)
    process = Process(command, dict(os.environ), work / "hello.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                get(url)
                break
            except OSError:
                time.sleep(0.1)
        wrk(url, args.warmup)
        return [wrk(url, args.duration) for _ in range(args.runs)]
    finally:
        process.stop()


def nginx_static_ceilings(args, work, sizes):
    """nginx serving, for each page, a file of that page's size: ``{page: figures}``."""
    folder = work / "static-ceiling"
    folder.mkdir()
    files = Path(tempfile.mkdtemp(prefix="salon-static-"))
    files.chmod(0o755)
    for index, size in enumerate(sizes.values()):
        (files / f"page{index}.html").write_bytes(b"x" * size)
        (files / f"page{index}.html").chmod(0o644)
    port = free_port()
    (folder / "temp").mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        f"worker_processes auto;\npid {folder / 'nginx.pid'};\nerror_log stderr warn;\n"
        "events { worker_connections 1024; }\nhttp {\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {folder / 'temp' / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  server {{ listen 127.0.0.1:{port}; root {files}; }}\n}}\n"
    )
    process = Process(
        [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        dict(os.environ),
        folder / "nginx.log",
    )
    time.sleep(0.5)
    try:
        ceilings = {}
        for index, page in enumerate(sizes):
            url = f"http://127.0.0.1:{port}/page{index}.html"
            wrk(url, args.warmup)
            ceilings[page] = repeated(url, args)
        return ceilings
    finally:
        process.stop()
        shutil.rmtree(files, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1, help="median of this many runs")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/salon_bench",
        help="the PostgreSQL database to (re)create for the PostgreSQL + Redis runs",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--only",
        nargs="+",
        default=["sqlite-off", "sqlite-on", "nginx-published", "pg-redis-off", "pg-redis-on"],
    )
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="salon-bench-serve-"))
    results, processes = [], []
    started = time.time()
    machine = {"calibration_ms": calibration(), "load_before": os.getloadavg()[0]}
    try:
        print("hello-world ceiling…", file=sys.stderr)
        # Measured at the start and again at the end: the machine's pace may drift meanwhile.
        hello_runs = hello_ceiling(args, work)
        ceiling_app = lambda page: {"kind": "hello-world WSGI"}  # noqa: E731 (filled in below)
        sites = {}
        if any(name.startswith(("sqlite", "nginx")) for name in args.only):
            sites["sqlite"] = build_site("sqlite", args.posts, "", work)
        if any(name.startswith("pg") for name in args.only):
            sites["pg"] = build_site("pg", args.posts, args.database_url, work)
        static = None
        for config in args.only:
            site = "pg" if config.startswith("pg") else "sqlite"
            env, pages = sites[site]
            env = dict(env, SALON_PAGE_CACHE_SECONDS="0" if config.endswith("off") else "600")
            if config.startswith("pg"):
                env.update(
                    SALON_CACHE_URL=args.redis,
                    SALON_CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
                )
            published = None
            if config == "nginx-published":
                published = Path(tempfile.mkdtemp(prefix="salon-published-"))
                published.chmod(0o755)
                env["SALON_STATIC_PUBLISH_DIR"] = str(published / "site")
                env["SALON_TRUSTED_PROXIES"] = "127.0.0.1"
            server, base = start_production(env, work / f"{config}.log")
            processes.append(server)
            try:
                if published is not None:
                    nginx, front = start_nginx(
                        work / "nginx", published / "site", base.split("//")[1], workers="auto"
                    )
                    processes.append(nginx)
                    if static is None:
                        sizes = {page: len(get(front + path)[2]) for page, path in pages.items()}
                        static = nginx_static_ceilings(args, work, sizes)
                    measure(
                        front,
                        pages,
                        args,
                        config,
                        results,
                        lambda page, static=static: {"kind": "nginx static file", **static[page]},
                        server,
                    )
                    nginx.stop()
                else:
                    measure(base, pages, args, config, results, ceiling_app, server)
            finally:
                server.stop()
                if published is not None:
                    shutil.rmtree(published, ignore_errors=True)
        print("hello-world ceiling again…", file=sys.stderr)
        hello_runs += hello_ceiling(args, work)
    finally:
        for process in processes:
            process.stop()
        shutil.rmtree(work, ignore_errors=True)
    hello = median_of(hello_runs)
    for row in results:
        if row["ceiling"]["kind"] == "hello-world WSGI":
            row["ceiling"].update(hello)
    machine.update(load_after=os.getloadavg()[0], seconds=round(time.time() - started))
    print_table(args, machine, hello, results)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {"posts": args.posts, "machine": machine, "hello": hello, "results": results},
                indent=2,
            )
        )


def print_table(args, machine, hello, results):
    print(
        f"\nSalon, {args.posts} posts; wrk -t2 -c16 -d{args.duration}s after {args.warmup} s of "
        f"warm-up, median of {args.runs} run(s), loopback; {os.cpu_count()} cores; "
        f"calibration {machine['calibration_ms']} ms; "
        f"load {machine['load_before']:.1f} → {machine['load_after']:.1f}"
    )
    print(
        f"hello-world WSGI (same gunicorn options): {hello['rps']:.0f} req/s, "
        f"p50 {hello['p50']:.2f} ms, p99 {hello['p99']:.2f} ms\n"
    )
    print(
        f"| {'configuration':<22} | {'page':<20} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} "
        f"| {'errors':>6} | {'of ceiling':>10} | {'app CPU ms/req':>14} | ceiling |"
    )
    print(
        f"|{'-' * 24}|{'-' * 22}|{'-' * 9}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|{'-' * 11}:"
        f"|{'-' * 15}:|---|"
    )
    for row in results:
        ceiling = row["ceiling"]
        print(
            f"| {row['config']:<22} | {row['page']:<20} | {row['rps']:>7.0f} | {row['p50']:>7.1f} "
            f"| {row['p99']:>7.1f} | {row['errors']:>6} | {row['rps'] / ceiling['rps']:>10.1%} "
            f"| {row['cpu_ms']:>14.2f} | {ceiling['kind']} {ceiling['rps']:.0f} |"
        )


if __name__ == "__main__":
    main()
