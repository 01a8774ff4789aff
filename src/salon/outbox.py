"""Salon's one way to do outbound work that may fail: mail, Webmentions, later ActivityPub.

A channel keeps one row per delivery (a message to one address, a Webmention to one target, an
activity to one inbox) with a state, the count of ``attempts`` and the time of the next one
(``next_attempt_at``). The pieces here are the same for every channel:

``Backoff``
    The delays table of a channel: after the n-th failed attempt, wait ``delays[n - 1]``
    seconds; after the last delay, give up. ``Backoff.doubling()`` builds a table that doubles
    up to a ceiling; ``jitter`` spreads retries that failed together (one host down for a
    thousand inboxes) over a fraction of their delay.
``Outcome``
    What one attempt came to, returned by the channel's service: ``Outcome.sent()``,
    ``Outcome.retry(error, at)`` or ``Outcome.give_up(error)``; ``backoff.failed(...)`` chooses
    between the last two (the give-up rules). ``Outcome.skipped()`` says there was nothing to
    attempt (the row is gone, settled already, or not due). ``state`` carries the row's own name for it
    (``"no_endpoint"``, ``"fetched"``...) for the task's return value and the sweep's summary.
``retry_later(task, outcome, *args)``
    Called by the channel's ``tasks.py`` only: when the outcome is a retry and the task backend
    can defer, enqueue ``task(*args)`` to run at the retry time (after the commit). Backends
    that cannot defer (the immediate backend of the tests and of small installs) leave the row
    as it is, and the channel's sweep command sends it once due.
``enqueue_at(task, when, *args)``
    Enqueue after the commit, at ``when`` when that is in the future and the backend can wait;
    returns False when it cannot (the sweep will do it).
``sweep(ids, task)``
    What the sweep commands (``salon send-mail``, ``salon webmention-send``) do with the rows
    that are due: run the channel's task body now, for each, and count the outcomes.
``DueQuerySet``
    A queryset mixin for the rows: ``waiting()`` (rows that still have attempts to make) and
    ``due(now)`` (waiting rows whose next attempt has come). A row names its own fields and
    states with class attributes, so existing columns stay as they are.

Services never enqueue: they make one attempt, store what they learnt on the row and return an
``Outcome``; the channel's ``tasks.py`` decides what happens next. See ``docs/design/outbox.md``.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

SENT = "sent"
RETRY = "retry"
GIVE_UP = "give_up"
SKIPPED = "skipped"  # nothing to attempt: the row is gone, settled already, or not due

# An error is kept for the author to read, not as a log: the start of it is enough.
ERROR_CHARS = 2000


def doubling(first, longest, attempts):
    """Seconds to wait after ``attempts`` failures in a row: ``first``, then twice as long each
    time, at most ``longest`` (the exponent is capped so a long failing streak cannot overflow)."""
    return min(first * 2 ** min(max(attempts - 1, 0), 32), longest)


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to. True when the work is done (``sent``)."""

    status: str
    error: str = ""
    retry_at: datetime | None = None
    state: str = ""

    @classmethod
    def sent(cls, state=SENT):
        return cls(SENT, state=state)

    @classmethod
    def retry(cls, error, at, state=RETRY):
        return cls(RETRY, error=str(error)[:ERROR_CHARS], retry_at=at, state=state)

    @classmethod
    def give_up(cls, error, state=GIVE_UP):
        return cls(GIVE_UP, error=str(error)[:ERROR_CHARS], state=state)

    @classmethod
    def skipped(cls, state=SKIPPED):
        return cls(SKIPPED, state=state)

    @property
    def is_sent(self):
        return self.status == SENT

    @property
    def is_retry(self):
        return self.status == RETRY

    @property
    def gave_up(self):
        return self.status == GIVE_UP

    def __bool__(self):
        return self.is_sent

    def __str__(self):
        return self.state or self.status


@dataclass(frozen=True)
class Backoff:
    """A channel's delays between attempts, in seconds; ``len(delays) + 1`` attempts in all."""

    delays: tuple
    jitter: float = 0.0

    @classmethod
    def doubling(cls, first, longest, attempts, jitter=0.0):
        """``attempts`` tries in all, waiting ``first`` seconds after the first failure, then
        twice as long each time, at most ``longest``."""
        return cls(tuple(doubling(first, longest, n) for n in range(1, attempts)), jitter)

    @property
    def max_attempts(self):
        return len(self.delays) + 1

    def delay(self, attempts):
        """Seconds to wait after ``attempts`` failed attempts, or None when it is time to give
        up. With ``jitter``, a random part of up to that fraction of the delay is added."""
        if attempts < 1 or attempts > len(self.delays):
            return None
        seconds = self.delays[attempts - 1]
        if self.jitter:
            seconds += random.uniform(0, seconds * self.jitter)  # noqa: S311 - spreading, not secrecy
        return seconds

    def next_attempt(self, attempts, now=None):
        """When to try again after ``attempts`` failures, or None (give up)."""
        seconds = self.delay(attempts)
        if seconds is None:
            return None
        return (now or timezone.now()) + timedelta(seconds=seconds)

    def failed(
        self, attempts, error, *, temporary=True, now=None, retry_state=RETRY, give_up_state=GIVE_UP
    ):
        """The give-up rules: a permanent failure, or a temporary one after the last delay,
        gives up; any other failure is retried after the delay of its attempt."""
        at = self.next_attempt(attempts, now) if temporary else None
        if at is None:
            return Outcome.give_up(error, state=give_up_state)
        return Outcome.retry(error, at, state=retry_state)


def can_defer(task):
    """Whether ``task``'s backend can hold a task until a later time (``run_after``)."""
    return getattr(task.get_backend(), "supports_defer", False)


def enqueue_at(task, when, *args, **kwargs):
    """Enqueue ``task`` after the commit, to run at ``when`` (None or past: at once).

    Returns False, enqueuing nothing, when ``when`` is in the future and the backend cannot
    defer: the channel's sweep does the work once due."""
    if when is not None and when > timezone.now():
        if not can_defer(task):
            return False
        task = task.using(run_after=when)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return True


def retry_later(task, outcome, *args, **kwargs):
    """After an attempt: when ``outcome`` is a retry, enqueue ``task(*args)`` for its time if the
    backend can defer. Returns True when a retry was enqueued.

    Enqueued at once, not after the commit: the attempt's row is saved already, the retry runs
    a backoff delay later, and a task that makes its own attempt runs in no transaction to wait
    for (a retry enqueued by a rolled-back transaction of the database backend goes with it)."""
    if not outcome.is_retry or outcome.retry_at is None or not can_defer(task):
        return False
    task.using(run_after=outcome.retry_at).enqueue(*args, **kwargs)
    return True


def sweep(ids, task):
    """Run ``task``'s body now for each id (each once, in order); return how many ended in
    each state, e.g. ``{"sent": 3, "retry": 1}``. The task reschedules what failed itself."""
    counts = {}
    for pk in dict.fromkeys(ids):
        state = str(task.call(pk))
        counts[state] = counts.get(state, 0) + 1
    return counts


def summary(counts):
    """``{"sent": 3, "retry": 1}`` as ``"3 sent, 1 retry"`` (states in alphabetical order)."""
    return ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))


class DueQuerySet(models.QuerySet):
    """Rows of a delivery: ``waiting()`` still have attempts to make, ``due()`` now.

    Set on the subclass: ``waiting_states`` (values of the ``state`` field that may be
    attempted), ``next_attempt_field`` (the column holding the next try, ``next_attempt_at``
    unless the row names it otherwise) and ``unscheduled_is_due`` (whether a waiting row
    without a next try, one never attempted, counts as due). Override ``waiting()`` for rows
    whose waiting is not a state (a reply context waits when it has an error and a next try).
    """

    waiting_states = ()
    next_attempt_field = "next_attempt_at"
    unscheduled_is_due = False

    def waiting(self):
        return self.filter(state__in=self.waiting_states)

    def due(self, now=None):
        """Waiting rows whose next attempt has come, the longest-waiting first."""
        field = self.next_attempt_field
        when = models.Q(**{f"{field}__lte": now or timezone.now()})
        if self.unscheduled_is_due:
            when |= models.Q(**{f"{field}__isnull": True})
        return self.waiting().filter(when).order_by(models.F(field).asc(nulls_first=True), "pk")
