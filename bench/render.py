"""CPU time to render each public page type, uncached, and the queries it makes.

    .venv/bin/python bench/render.py --posts 2000 [--requests 50] [--database-url postgres://…]

Builds a generated corpus (bench/corpus.py) in a temporary data dir, gives one post 20
approved comments, builds the search and similar-posts indexes, then requests each page
through Django's test client with the page cache off: the process CPU time per request
(median and 90th percentile of ``--requests`` after a warm-up), the queries per request and
the time the database took. No HTTP server and no network: this is what one worker spends
rendering, the figure the 5 ms target is about. With the page cache off, the fragments
(``salon.core.fragments``: cards, feed entries, which posts a river or feed page lists, a hit's
post) are still kept per generation, as in production; the "cold" column is the same page with
every fragment dropped before each request: its first visit after a change to the blog. Compare runs on the same machine (the
calibration loop of ``machine.py`` is printed too).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="salon-render-")
    os.environ["SALON_DATA_DIR"] = data_dir
    os.environ["SALON_PAGE_CACHE_SECONDS"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "salon.settings"
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    import django

    django.setup()
    import corpus
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from machine import calibration

    from salon.core import fragments

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    corpus.generate(args.posts)

    from salon.blog.models import Post
    from salon.conversations.models import Response, State

    post = Post.objects.listed().order_by("-published_at")[args.posts // 2]
    Response.objects.bulk_create(
        Response(
            post=post,
            author_name=f"Lectrice {i}",
            author_email=f"lectrice{i}@example.org",
            content=f"Un commentaire numéro {i}, avec une phrase ou deux sur le billet.",
            content_html=f"<p>Un commentaire numéro {i}, avec une phrase ou deux.</p>",
            language="fr",
            state=State.APPROVED,
        )
        for i in range(20)
    )
    call_command("search", "rebuild", verbosity=0)
    call_command("similar", "rebuild", verbosity=0)

    pages = {
        "home /": "/",
        "river /fr/": "/fr/",
        "post, 20 comments": post.get_absolute_url(),
        "tag page": "/tag/ville/",
        "archive (year)": f"/{post.published_at.year}/",
        "series": f"/series/{Post.objects.exclude(series=None).first().series.slug}/",
        "/feed/": "/feed/",
        "search jardin": "/search/?q=jardin",
    }
    # Not setup_test_environment(): it instruments every template render (a signal with a
    # copy of the context), which a server does not pay.
    client = Client(HTTP_HOST="localhost")
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"Salon render time, {args.posts} posts, {database}, test client, page cache off, "
        f"{args.requests} requests per page (calibration {calibration():.1f} ms)"
    )
    print(
        f"{'page':<20} {'CPU p50 ms':>10} {'CPU p90 ms':>10} {'queries':>8} {'SQL ms':>7}"
        f" {'cold p50 ms':>11} {'cold queries':>12}"
    )
    for name, path in pages.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        times, sql = [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.process_time()
                client.get(path)
                times.append((time.process_time() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        warm_queries = len(queries.captured_queries)
        cold = []
        for _ in range(args.requests):
            fragments.forget()
            with CaptureQueriesContext(connection) as queries:
                started = time.process_time()
                client.get(path)
                cold.append((time.process_time() - started) * 1000)
        times.sort()
        print(
            f"{name:<20} {statistics.median(times):>10.1f} "
            f"{times[int(len(times) * 0.9) - 1]:>10.1f} {warm_queries:>8} "
            f"{statistics.median(sql):>7.1f} {statistics.median(cold):>11.1f} "
            f"{len(queries.captured_queries):>12}"
        )


if __name__ == "__main__":
    main()
