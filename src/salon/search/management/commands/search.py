"""``salon search rebuild``: index every post again (with a progress bar on a terminal)."""

import time

from django.core.management.base import BaseCommand

from salon.search.indexing import rebuild


class Command(BaseCommand):
    help = "Manage the full-text search index."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild_parser = actions.add_parser(
            "rebuild",
            help="Index every published or scheduled post again.",
            description="Index every published or scheduled post again; the site keeps "
            "answering searches meanwhile.",
        )
        rebuild_parser.add_argument(
            "--batch-size", type=int, default=500, help="Posts indexed per transaction."
        )

    def handle(self, *args, action, batch_size=500, **options):
        if action == "rebuild":
            self.rebuild(batch_size)

    def rebuild(self, batch_size):
        started = time.perf_counter()
        if self.stdout.isatty():
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                job = bar.add_task("Indexing posts", total=None)

                def progress(done, total):
                    bar.update(job, completed=done, total=total)

                count = rebuild(progress=progress, batch_size=batch_size)
        else:
            count = rebuild(batch_size=batch_size)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} posts in {time.perf_counter() - started:.1f} s.")
        )
