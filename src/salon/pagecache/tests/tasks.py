"""A task for the multi-server test: it records, in the shared cache, which worker ran it and
whether it ran before (a task must run exactly once whatever the number of workers)."""

import os
import time

from django.core.cache import cache
from django_tasks import task


@task()
def record_run(number):
    time.sleep(0.02)  # long enough for the workers to overlap
    if not cache.add(f"ran:{number}", os.getpid(), 600):
        cache.set(f"twice:{number}", True, 600)


def enqueue_many(count):
    for number in range(count):
        record_run.enqueue(number)
