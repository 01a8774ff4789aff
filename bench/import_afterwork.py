"""The work after an import (comment languages, search index, similar posts): wall time of each
background task the import queued, as the worker runs them.

    .venv/bin/python bench/import_afterwork.py --posts 2000 --comments 20692 [--profile]

Generates a WordPress export (bench/wxr_corpus.py, cached in the work folder), imports it into a
fresh SQLite database (or ``DATABASE_URL``'s) in a fresh process, then runs the tasks the import
queued one after the other (``salon worker --batch``'s loop) and prints, per task, its wall time,
and the total; ``--profile`` writes a cProfile of the after-work to the work folder. Target:
under 15 s at 2,000 posts with about 20,000 comments.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import calibration  # noqa: E402


def child(path, profile_to):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")
    django.setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from salon.portability.writer import import_wxr

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = import_wxr(path)
    import_seconds = time.perf_counter() - started
    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("db_worker", "--batch", verbosity=0)
    after_seconds, after_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
    tasks = []
    for result in DBTaskResult.objects.order_by("started_at"):
        tasks.append(
            {
                "task": result.task_path.rsplit(".", 2)[-2]
                + "."
                + result.task_path.rsplit(".")[-1],
                "status": result.status,
                "seconds": (result.finished_at - result.started_at).total_seconds()
                if result.finished_at and result.started_at
                else None,
            }
        )
    print(
        json.dumps(
            {
                "calibration_ms": calibration(),
                "load": os.getloadavg()[0],
                "posts": report.total("posts"),
                "comments": report.total("comments"),
                "import_seconds": import_seconds,
                "queued": len(queued),
                "after_seconds": after_seconds,
                "after_cpu_seconds": after_cpu,
                "tasks": tasks,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20692)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "salon-bench-wxr"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS, default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile_to)
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"export-{args.posts}-{args.comments}.wxr"
    if not path.exists():
        from wxr_corpus import generate

        with path.open("w", encoding="utf-8") as out:
            generate(out, args.posts, args.comments)
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    env = dict(os.environ, SALON_DATA_DIR=str(data_dir), SALON_LOG_LEVEL="WARNING")
    env.setdefault("SALON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    profile_to = str(work / "afterwork.prof") if args.profile else ""
    command = [sys.executable, __file__, "--child", str(path), "--profile-to", profile_to]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(result.stderr)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"{figures['posts']} posts, {figures['comments']} comments: import "
        f"{figures['import_seconds']:.1f} s; after-work {figures['after_seconds']:.1f} s "
        f"({figures['after_cpu_seconds']:.1f} s of CPU, all threads) in "
        f"{figures['queued']} tasks (calibration {figures['calibration_ms']} ms, load "
        f"{figures['load']:.1f})"
    )
    for task in figures["tasks"]:
        print(f"  {task['task']:<45} {task['status']:<10} {task['seconds'] or 0:7.2f} s")
    if profile_to:
        print(f"profile: {profile_to}")


if __name__ == "__main__":
    main()
