from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from salon.conversations import mail
from salon.conversations.models import MailState, OutgoingMail


class Command(BaseCommand):
    help = ("Send the queued mail whose next attempt is due (or all of it with --all); the "
            "worker does this by itself, this is for a manual push after a mail server outage.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="Also send what is waiting for a later retry.")

    def handle(self, *args, all=False, **options):
        queued = OutgoingMail.objects.filter(state=MailState.QUEUED)
        if not all:
            queued = queued.filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        sent = failed = 0
        for message in queued.order_by("created_at", "pk"):
            if mail.deliver(message):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"Sent {sent} message(s); {failed} failed and will be retried.")
