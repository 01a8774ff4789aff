from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from salon import outbox
from salon.federation import conf, outgoing, tasks
from salon.federation.models import Delivery, ReceivedActivity, ReceivedState


class Command(BaseCommand):
    help = (
        "Deliver the ActivityPub activities that are due: retries whose time has come, and "
        "the Create of scheduled posts whose publication has passed (for task backends that "
        "cannot wait, and for cron; the worker does it by itself otherwise). Activities "
        "received more than five minutes ago and still unprocessed (a worker that died) are "
        "processed too, and those processed more than 30 days ago are deleted."
    )

    def handle(self, *args, **options):
        stuck = ReceivedActivity.objects.filter(
            state=ReceivedState.RECEIVED, received_at__lt=timezone.now() - timedelta(minutes=5)
        ).values_list("pk", flat=True)
        processed = outbox.sweep(list(stuck), tasks.process_activity)
        if processed:
            self.stdout.write(
                f"{sum(processed.values())} waiting activity(ies) processed: {outbox.summary(processed)}."
            )
        old = timezone.now() - timedelta(days=conf.RECEIVED_RETENTION_DAYS)
        ReceivedActivity.objects.exclude(state=ReceivedState.RECEIVED).filter(
            received_at__lt=old
        ).delete()
        scheduled = outgoing.due_scheduled_posts()
        if scheduled:
            tasks.federate_posts.call(scheduled)
        states = outbox.sweep(
            list(Delivery.objects.due().values_list("pk", flat=True)), tasks.deliver
        )
        summary = outbox.summary(states)
        self.stdout.write(
            f"{len(scheduled)} scheduled post(s) announced; {sum(states.values())} "
            "delivery(ies) attempted" + (f": {summary}." if summary else ".")
        )
