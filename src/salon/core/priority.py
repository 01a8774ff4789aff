"""CPU priorities of background work: readers' pages first.

The background worker (``salon worker``) sends mail, delivers to the fediverse and rebuilds
indexes; the web server serves pages. When both want the cores (a fan-out to thousands of
followers while a boosted post brings thousands of readers), the pages should win.
``SALON_WORKER_NICE`` (0 to 19, default 19, the lowest ordinary priority) sets how much the
worker gives way; 0 runs it at the web server's priority. Even at 19 the worker is never
starved: it keeps a small share of a busy core, enough for mail and indexes, and every idle
moment."""

import os

from django.conf import settings


def worker_niceness():
    """SALON_WORKER_NICE as a number from 0 to 19, or None when it is not one."""
    try:
        niceness = int(str(settings.SALON_WORKER_NICE).strip())
    except ValueError:
        return None
    return niceness if 0 <= niceness <= 19 else None


def _set_policy(policy):
    if policy is not None and hasattr(os, "sched_setscheduler"):  # Linux
        try:
            os.sched_setscheduler(0, policy, os.sched_param(0))
        except OSError:  # a container refusing it: the niceness still holds
            pass


def give_way_to_readers():
    """Lower this process's priority (the worker's, at start): Linux's batch policy keeps it
    from preempting a web thread each time it wakes (an inbox's answer, a query's result),
    the niceness lowers its share of the cores. Threads started afterwards inherit both."""
    niceness = worker_niceness()
    if not niceness:
        return
    _set_policy(getattr(os, "SCHED_BATCH", None))
    os.nice(niceness)


def idle_thread():
    """Run the calling thread only on CPU time nothing else wants (Linux's idle policy), when
    the worker gives way at all. Only for threads that touch no database: a thread holding a
    lock at the idle priority could keep a reader's request waiting for it."""
    if worker_niceness():
        _set_policy(getattr(os, "SCHED_IDLE", None))
