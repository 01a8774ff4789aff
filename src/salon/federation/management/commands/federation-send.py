from django.core.management.base import BaseCommand

from salon import outbox
from salon.federation import outgoing, tasks
from salon.federation.models import Delivery


class Command(BaseCommand):
    help = (
        "Deliver the ActivityPub activities that are due: retries whose time has come, and "
        "the Create of scheduled posts whose publication has passed (for task backends that "
        "cannot wait, and for cron; the worker does it by itself otherwise)."
    )

    def handle(self, *args, **options):
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
