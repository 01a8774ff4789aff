"""Similar posts: full rebuild time and peak memory, incremental update time for one edited post.

    .venv/bin/python bench/similar.py                       # 2,000 and 10,000 posts
    .venv/bin/python bench/similar.py --posts 2000 10000 100000 --runs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_similar .venv/bin/python bench/similar.py

For each size, a fresh database (SQLite in a temporary data dir, or the PostgreSQL database named
by DATABASE_URL, emptied first) gets the deterministic corpus of ``bench/corpus.py``. Each
rebuild runs in a process of its own, so its peak memory (the process's maximum resident set
size, Python and numpy included) is its own. The incremental update is timed on edited posts:
each gets the body of another post (so it leaves its lists and enters others), then the
background task ``refresh_posts`` runs for it (``refresh_post``, then the check whether the blog
has grown enough to want a rebuild). Figures are medians.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")


def _setup():
    import django

    django.setup()


def load(posts):
    """Migrate an empty database and generate the corpus (no signals: bulk inserts)."""
    _setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    import corpus

    seconds = corpus.generate(posts)
    return {"generated_seconds": seconds}


def _migrate():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rebuild_once():
    _setup()
    _migrate()
    from salon.similar.index import rebuild

    started, cpu = time.perf_counter(), time.process_time()
    figures = rebuild()
    figures["seconds"] = time.perf_counter() - started
    figures["cpu_seconds"] = time.process_time() - cpu
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def incremental(edits, seed=7):
    """Edit ``edits`` posts one after the other; time each index update."""
    _setup()
    _migrate()
    from salon.blog.models import Post
    from salon.similar.models import SimilarPost
    from salon.similar.tasks import refresh_posts

    rng = random.Random(seed)
    ids = list(Post.objects.values_list("pk", flat=True))
    timings, cpu_timings, changed = [], [], []
    for _ in range(edits):
        edited, source = rng.sample(ids, 2)
        body_html = Post.objects.values_list("body_html", flat=True).get(pk=source)
        Post.objects.filter(pk=edited).update(body_html=body_html)
        started, cpu = time.perf_counter(), time.process_time()
        lists = refresh_posts.call([edited])
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
        changed.append(len(lists))
    sizes = list(
        SimilarPost.objects.values("post_id")
        .order_by()
        .distinct()
        .values_list("post_id", flat=True)
    )
    return {
        "update_ms_median": statistics.median(timings),
        "update_ms_max": max(timings),
        "update_ms_all": [round(value, 1) for value in timings],
        "update_cpu_ms_median": statistics.median(cpu_timings),
        "lists_changed_median": statistics.median(changed),
        "posts_with_a_list": len(sizes),
    }


def child(action, argument):
    if action == "load":
        result = load(int(argument))
    elif action == "rebuild":
        result = rebuild_once()
    else:
        result = incremental(int(argument))
    print("RESULT " + json.dumps(result))


def run_child(action, argument, env):
    from children import run_child as run

    return run(__file__, action, argument, env)


def bench(posts, runs, edits, reuse=None):
    data_dir = reuse or tempfile.mkdtemp(prefix=f"salon-bench-similar-{posts}-")
    env = dict(
        os.environ,
        SALON_DATA_DIR=data_dir,
        SALON_LOG_LEVEL="WARNING",
        SALON_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    loaded = {"generated_seconds": 0.0} if reuse else run_child("load", posts, env)
    rebuilds = [run_child("rebuild", "", env) for _ in range(runs)]
    updates = run_child("incremental", edits, env)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    return {
        "posts": posts,
        "database": database,
        "corpus_seconds": round(loaded["generated_seconds"], 1),
        "rebuild_seconds_median": round(statistics.median(r["seconds"] for r in rebuilds), 2),
        "rebuild_seconds_all": [round(r["seconds"], 2) for r in rebuilds],
        "rebuild_cpu_seconds_median": round(
            statistics.median(r["cpu_seconds"] for r in rebuilds), 2
        ),
        "load_average": os.getloadavg(),
        "rebuild_peak_mb_max": round(max(r["peak_rss_mb"] for r in rebuilds)),
        "terms": rebuilds[-1]["terms"],
        "postings": rebuilds[-1]["postings"],
        "links": rebuilds[-1]["links"],
        **updates,
        "data_dir": data_dir,
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="rebuilds per size (median)")
    parser.add_argument("--edits", type=int, default=20, help="edited posts timed per size")
    parser.add_argument(
        "--reuse",
        metavar="DATA_DIR",
        help="a data dir loaded by an earlier run (one size): skip generating",
    )
    args = parser.parse_args()
    for posts in args.posts:
        figures = bench(posts, args.runs, args.edits, args.reuse)
        print(json.dumps(figures, indent=2), flush=True)
        print(
            f"{posts} posts ({figures['database']}): rebuild {figures['rebuild_seconds_median']} s "
            f"({figures['rebuild_cpu_seconds_median']} s CPU, median of "
            f"{len(figures['rebuild_seconds_all'])}), peak {figures['rebuild_peak_mb_max']} MB; "
            f"one edited post updated in {figures['update_ms_median']:.0f} ms "
            f"({figures['update_cpu_ms_median']:.0f} ms CPU, median of {args.edits}, max "
            f"{figures['update_ms_max']:.0f} ms); load average {figures['load_average'][0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
