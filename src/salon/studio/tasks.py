"""Background work of the writing page; the only module of the app that enqueues."""

from django_tasks import task

from salon import outbox

from . import services


@task()
def publish_due_posts():
    """Publish every scheduled post whose time has come (see ``services.publish_due``)."""
    return services.publish_due()


def publish_at(when):
    """After the commit, have the worker publish the posts due at ``when`` (the blog's time
    zone is only how the author typed it: ``when`` is an aware instant). Returns False when the
    task backend cannot wait: ``salon publish-due`` (cron) does it then."""
    return outbox.enqueue_at(publish_due_posts, when)
