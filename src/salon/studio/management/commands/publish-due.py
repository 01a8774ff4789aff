from django.core.management.base import BaseCommand

from salon.studio import services


class Command(BaseCommand):
    help = (
        "Publish the scheduled posts whose time has come, so that feeds, caches and indexes "
        "hear of them at once (the worker does it by itself at each post's time; run this from "
        "cron when the task backend cannot wait)."
    )

    def handle(self, *args, **options):
        done = services.publish_due()
        self.stdout.write(f"{len(done)} scheduled post(s) published.")
