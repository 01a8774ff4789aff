from django.core.management import call_command
from django.core.management.base import BaseCommand

from salon.core import priority
from salon.reader import tasks as reader_tasks


class Command(BaseCommand):
    help = "Run a background worker (django-tasks-db's db_worker): mail, webmentions, indexes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting now, then exit."
        )

    def handle(self, *args, batch=False, **options):
        priority.give_way_to_readers()
        if not batch:
            # Periodic work (feed refresh) renews itself from task to task; make sure the chain
            # exists when a worker starts, e.g. after a restore or a fresh install.
            reader_tasks.ensure_scheduled()
        arguments = ["--batch"] if batch else []
        call_command("db_worker", *arguments)
