from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from salon import outbox
from salon.blog.models import Post
from salon.webmention import conf, sending, tasks
from salon.webmention.models import ReplyContext, SentWebmention


class Command(BaseCommand):
    help = (
        "Send the Webmentions that are due: retries whose time has come and posts whose "
        "scheduled publication has passed (for task backends that cannot wait, and for cron); "
        "read again the reply contexts whose next attempt has come. "
        "With --post, send every link of those posts now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--post",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Send the Webmentions of this post now (repeatable).",
        )

    def handle(self, *args, post, **options):
        if post:
            missing = set(post) - set(Post.objects.filter(pk__in=post).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No post with id {', '.join(map(str, sorted(missing)))}.")
            row_ids = [row for post_id in post for row in sending.plan(post_id, force=True)]
        else:
            since = timezone.now() - timedelta(days=conf.ANNOUNCE_MAX_AGE_DAYS)
            row_ids = []
            for post_id in (
                Post.objects.listed().filter(published_at__gte=since).values_list("pk", flat=True)
            ):
                row_ids.extend(sending.plan(post_id))
            row_ids.extend(SentWebmention.objects.due().values_list("pk", flat=True))
        states = outbox.sweep(row_ids, tasks.deliver_webmention)
        summary = outbox.summary(states)
        self.stdout.write(
            f"{sum(states.values())} Webmention(s) attempted"
            + (f": {summary}." if summary else ".")
        )
        if not post:
            self.retry_reply_contexts()

    def retry_reply_contexts(self):
        due = ReplyContext.objects.due().values_list("post_id", flat=True)
        states = outbox.sweep(list(due), tasks.retry_reply_context)
        if states:
            self.stdout.write(
                f"{sum(states.values())} reply context(s) read again: {outbox.summary(states)}."
            )
