from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from salon.federation import objects, outgoing, remote, tasks


class Command(BaseCommand):
    help = (
        "Move the blog's fediverse followers to another account: TARGET is that account's "
        "ActivityPub id (its profile's address), which must list this blog's actor in its "
        "alsoKnownAs (Mastodon: Preferences → Account → Moving from a different account). "
        "Every follower's server gets a Move; the actor says movedTo from then on."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="the new account's ActivityPub id")

    def handle(self, *args, target, **options):
        if not remote.is_http_url(target):
            raise CommandError("TARGET must be an http(s) address.")
        try:
            account = remote.fetch_actor(target, refresh=True)
        except remote.RemoteError as error:
            raise CommandError(f"Cannot read {target}: {error.reason}") from None
        if objects.actor_id() not in account.also_known_as:
            raise CommandError(
                f"{target} does not list {objects.actor_id()} in its alsoKnownAs: add this "
                "blog's address as an alias on the new account first."
            )
        with transaction.atomic():
            ids = outgoing.move_to(target)
            tasks.deliver_soon(ids)
        self.stdout.write(
            f"Move sent to {len(ids)} inbox(es); the actor now says movedTo {target}."
        )
