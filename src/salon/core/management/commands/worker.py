from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background worker (django-tasks-db's db_worker): mail, webmentions, indexes."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run the tasks waiting now, then exit.")

    def handle(self, *args, batch=False, **options):
        arguments = ["--batch"] if batch else []
        call_command("db_worker", *arguments)
