"""The work after an import, run in the foreground: the tasks the import queued (the comments'
languages, the search index, the similar posts) are run by the importing command itself rather
than left to the worker, so that the command ends when the site is complete, with a progress
bar on a terminal. Other workers may take some of the tasks meanwhile (the queue hands each
task to one worker); the command waits for none of those.

Only the database task backend queues anything here: with the immediate backend (tests) the
tasks already ran during the import.
"""

import time

from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.signals import task_started

# What the progress bar says while each kind of task runs.
DESCRIPTIONS = {
    "detect_comment_languages": _("Comment languages"),
    "index_posts": _("Search index"),
    "rebuild_index": _("Similar posts"),
    "refresh_posts": _("Similar posts"),
}


def queued():
    """The number of tasks waiting in the database queue, or None with another backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    return DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS).count()


def run_queued(started=None):
    """Run the waiting tasks here until none is left; ``started(description)`` is called as
    each begins. Returns ``(tasks run, seconds)``."""
    from django_tasks_db.management.commands.db_worker import Worker

    count = {"tasks": 0}

    def on_start(sender, task_result, **kwargs):
        count["tasks"] += 1
        if started is not None:
            name = task_result.task.name
            started(str(DESCRIPTIONS.get(name, name)))

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"import-{get_random_string(16)}",
        excluded_queue_names=[],
    )
    began = time.perf_counter()
    task_started.connect(on_start, dispatch_uid="salon.portability.afterwork")
    try:
        worker.run()
    finally:
        task_started.disconnect(dispatch_uid="salon.portability.afterwork")
    return count["tasks"], time.perf_counter() - began
