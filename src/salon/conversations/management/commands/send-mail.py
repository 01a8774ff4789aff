from django.core.management.base import BaseCommand

from salon import outbox
from salon.conversations import tasks
from salon.conversations.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Send the queued mail whose next attempt is due (or all of it with --all); the "
        "worker does this by itself, this is for a manual push after a mail server outage "
        "and, from cron, for task backends that cannot defer a retry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Also send what is waiting for a later retry."
        )

    def handle(self, *args, all=False, **options):
        queued = OutgoingMail.objects.waiting() if all else OutgoingMail.objects.due()
        ids = queued.order_by("created_at", "pk").values_list("pk", flat=True)
        counts = outbox.sweep(list(ids), tasks.deliver_mail)
        sent = counts.get("sent", 0)
        failed = sum(counts.values()) - sent
        self.stdout.write(f"Sent {sent} message(s); {failed} failed and will be retried.")
