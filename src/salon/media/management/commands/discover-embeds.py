from django.core.management.base import BaseCommand

from salon import outbox
from salon.media import tasks
from salon.media.models import Embed


class Command(BaseCommand):
    help = (
        "Discover the embeds that are due (new links, failed attempts whose next try has "
        "come), for task backends that cannot wait; run it from cron."
    )

    def handle(self, *args, **options):
        ids = Embed.objects.due().values_list("pk", flat=True)
        counts = outbox.sweep(list(ids), tasks.discover_embed)
        self.stdout.write(outbox.summary(counts) or "nothing due")
