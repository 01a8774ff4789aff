from django.core.management.base import BaseCommand

from salon.reader import refresh, tasks
from salon.reader import schedule as refresh_schedule
from salon.reader.models import Subscription


class Command(BaseCommand):
    help = (
        "Refresh the followed feeds that are due now (or all of them with --all), in the "
        "foreground. With --schedule, make sure the self-renewing background refresh is queued "
        "for the worker instead (run it at start-up; it never queues a second one)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Check every feed that is still checked, not only those due.",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the scheduled background refresh (for `salon worker`) and return.",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="Feeds fetched at once (default: SALON_READER_CONCURRENCY).",
        )

    def handle(self, *args, all=False, schedule=False, concurrency=None, **options):
        if schedule:
            task_id = tasks.ensure_scheduled()
            if task_id is None:
                self.stderr.write(
                    "The task backend cannot defer tasks; run `salon refresh-feeds` from cron "
                    "instead."
                )
            else:
                self.stdout.write(f"Scheduled feed refresh queued (task {task_id}).")
            return
        subscriptions = (Subscription.objects.checked() if all else Subscription.objects.due())[
            : refresh.BATCH_SIZE
        ]
        summary = refresh.refresh_subscriptions(subscriptions, concurrency=concurrency)
        refresh_schedule.record_run(summary)
        self.stdout.write(str(summary))
