from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from salon.blog.models import Post
from salon.webmention import conf, replies, sending
from salon.webmention.models import ReplyContext, SentWebmention


class Command(BaseCommand):
    help = (
        "Send the Webmentions that are due: retries whose time has come and posts whose "
        "scheduled publication has passed (for task backends that cannot wait, and for cron); "
        "read again the reply contexts whose next attempt has come. "
        "With --post, send every link of those posts now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--post", type=int, action="append", default=[], metavar="ID",
                            help="Send the Webmentions of this post now (repeatable).")

    def handle(self, *args, post, **options):
        if post:
            missing = set(post) - set(Post.objects.filter(pk__in=post).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No post with id {', '.join(map(str, sorted(missing)))}.")
            row_ids = [row for post_id in post for row in sending.plan(post_id, force=True)]
        else:
            since = timezone.now() - timedelta(days=conf.ANNOUNCE_MAX_AGE_DAYS)
            row_ids = []
            for post_id in Post.objects.published().filter(published_at__gte=since).values_list(
                "pk", flat=True
            ):
                row_ids.extend(sending.plan(post_id))
            row_ids.extend(SentWebmention.objects.due().values_list("pk", flat=True))
        states = {}
        for row_id in dict.fromkeys(row_ids):
            state = sending.deliver(row_id)
            states[state] = states.get(state, 0) + 1
        summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
        self.stdout.write(f"{len(states) and sum(states.values())} Webmention(s) attempted"
                          + (f": {summary}." if summary else "."))
        if not post:
            self.retry_reply_contexts()

    def retry_reply_contexts(self):
        states = {}
        for post_id in ReplyContext.objects.due().values_list("post_id", flat=True):
            state = replies.retry_context(post_id)
            states[state] = states.get(state, 0) + 1
        if states:
            summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
            self.stdout.write(f"{sum(states.values())} reply context(s) read again: {summary}.")
