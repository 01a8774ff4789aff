from django.core.management.base import BaseCommand

from salon.conversations import conf, services


class Command(BaseCommand):
    help = "Delete responses marked as spam longer ago than SALON_SPAM_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep spam this many days instead of the setting.",
        )

    def handle(self, *args, days=None, **options):
        days = conf.spam_retention_days() if days is None else days
        count = services.purge_spam(days)
        self.stdout.write(f"Deleted {count} spam response(s) older than {days} days.")
