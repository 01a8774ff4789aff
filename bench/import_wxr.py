"""Benchmark of `salon import-wxr` on SQLite: posts per second and peak memory.

    .venv/bin/python bench/import_wxr.py                    # 10,000 posts, 100,000 comments
    .venv/bin/python bench/import_wxr.py --posts 20000 --comments 200000   # memory stays flat

Generates a WordPress export with bench/wxr_corpus.py (cached in the work folder), then imports
it in a fresh process on a fresh SQLite database, so the peak resident memory measured
(getrusage's ru_maxrss) is the import's own, Django and lingua's language models included;
the process the import forks to read the file (salon.portability.pipeline) is measured apart.
The language of the imported comments is detected by a task after the import; it is timed
separately, and so is a re-import of the same file (every post and comment updated).
Targets: at least 1,000 posts a second with their comments, under 300 MB.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import calibration  # noqa: E402


def child(path, trace):
    """Runs in the fresh process: migrate, import, detect comment languages, print JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        import tracemalloc

        tracemalloc.start()
    from salon.portability.tasks import detect_comment_languages
    from salon.portability.writer import import_wxr

    started, cpu = time.perf_counter(), time.process_time()
    report = import_wxr(path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The process that reads the file (forked for large files): its own peak, apart.
    reader_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    started = time.perf_counter()
    detected = detect_comment_languages.call(report.source_site)
    detect_seconds = time.perf_counter() - started
    # The same file again: what a re-import (every post and comment updated) costs.
    started = time.perf_counter()
    again = import_wxr(path)
    reimport_seconds = time.perf_counter() - started
    assert again.updated["posts"] == report.total("posts"), again.updated
    print(
        json.dumps(
            {
                "calibration_ms": calibration(),
                "posts": report.total("posts"),
                "comments": report.total("comments"),
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "load": os.getloadavg()[0],
                "peak_kb": peak,
                "baseline_kb": baseline,
                "reader_peak_kb": reader_peak,
                "traced_bytes": traced,
                "detected": detected,
                "detect_seconds": detect_seconds,
                "reimport_seconds": reimport_seconds,
                "languages": dict(report.languages),
                "summaries": sum(report.summaries.values()),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--comments", type=int, default=100000)
    parser.add_argument("--file", help="import this export instead of a generated one")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "salon-bench-wxr"))
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure Python allocations (slows the import down)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tracemalloc)
        return

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    path = Path(args.file) if args.file else work / f"export-{args.posts}-{args.comments}.wxr"
    if not path.exists():
        from wxr_corpus import generate

        print(f"Generating {path}…", file=sys.stderr)
        with path.open("w", encoding="utf-8") as out:
            generate(out, args.posts, args.comments)
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    env = dict(os.environ, SALON_DATA_DIR=str(data_dir), SALON_LOG_LEVEL="WARNING")
    env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--child", str(path)]
    if args.tracemalloc:
        command.append("--tracemalloc")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        sys.exit(result.returncode)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    size = path.stat().st_size / 1e6
    posts, seconds = figures["posts"], figures["seconds"]
    print(f"file:              {path.name}, {size:.1f} MB")
    print(
        f"imported:          {posts} posts, {figures['comments']} comments, "
        f"{figures['summaries']} summaries, languages {figures['languages']}"
    )
    print(
        f"import time:       {seconds:.1f} s wall, {figures['cpu_seconds']:.1f} s of CPU "
        f"(load average {figures['load']:.1f} on {os.cpu_count()} CPUs; calibration "
        f"{figures['calibration_ms']} ms, about 15 on an idle recent x86 core)"
    )
    print(
        f"posts per second:  {posts / seconds:,.0f} (target ≥ 1,000), "
        f"comments per second: {figures['comments'] / seconds:,.0f}; per CPU second: "
        f"{posts / figures['cpu_seconds']:,.0f} posts, "
        f"{figures['comments'] / figures['cpu_seconds']:,.0f} comments"
    )
    print(
        f"peak memory:       {figures['peak_kb'] / 1024:.0f} MB resident (target < 300 MB; "
        f"{figures['baseline_kb'] / 1024:.0f} MB before the import started); the process "
        f"reading the file: {figures['reader_peak_kb'] / 1024:.0f} MB (mostly shared with "
        f"the writer, it is forked from it)"
    )
    if figures["traced_bytes"] is not None:
        print(
            f"python allocations: {figures['traced_bytes'] / 1e6:.0f} MB at the peak (tracemalloc)"
        )
    print(
        f"comment languages: {figures['detected']} detected by the follow-up task in "
        f"{figures['detect_seconds']:.1f} s"
    )
    print(
        f"re-import:         {figures['reimport_seconds']:.1f} s for the same file again "
        f"({posts / figures['reimport_seconds']:,.0f} posts/s, every row updated)"
    )


if __name__ == "__main__":
    main()
