"""Background work of the writing page; the only module of the app that enqueues."""

from django.utils import timezone
from django_tasks import task

from salon import outbox
from salon.blog.models import Post, Status

from . import services


@task()
def publish_due_posts():
    """Publish every scheduled post whose time has come (see ``services.publish_due``)."""
    return services.publish_due()


def publish_when_due(post_ids):
    """Have the worker publish each of these posts that is scheduled, at its time (one task
    per distinct time; a task finding nothing due does nothing, so a post rescheduled or sent
    back to draft meanwhile is left alone). Returns the times asked for; none when the task
    backend cannot wait, and then ``salon publish-due`` (cron) does it."""
    # The scheduled posts are few; an import's ids may be many: no IN list of them.
    waiting = Post.objects.filter(status=Status.SCHEDULED, published_at__gt=timezone.now())
    times = {when for pk, when in waiting.values_list("pk", "published_at") if pk in post_ids}
    return sorted(when for when in times if outbox.enqueue_at(publish_due_posts, when))
