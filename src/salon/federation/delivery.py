"""Deliveries: one ``Delivery`` row per (activity, inbox), attempted through ``salon.net``.

``fan_out`` stores an activity and a row for each inbox (followers' shared inboxes used and
deduplicated; blocked servers left out; an inbox marked failing is skipped); ``deliver``
makes one attempt at one row and returns an ``outbox.Outcome``; ``deliver_many`` attempts many
rows with at most ``SALON_FEDERATION_CONCURRENCY`` requests at once (the requests run in
threads, every database read and write in the caller's). Never called inside a request: the
tasks run them in the worker.

The give-up rules: a 2xx is delivered; 408, 429, 5xx and network failures are retried with
``BACKOFF`` (about a minute, doubling to a day, given up after about a week, with jitter so a
thousand inboxes of one server that failed together do not come back together); any other
4xx gives up at once, and a 410 from a personal inbox removes that follower.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from salon import net, outbox
from salon.core import priority

from . import conf, objects, signatures
from .keys import key_for
from .models import (
    Activity,
    Block,
    Delivery,
    DeliveryState,
    Follower,
    InboxHealth,
    LocalKey,
    RemoteActor,
    host_of,
)

BACKOFF = outbox.Backoff.doubling(60, 24 * 3600, 18, jitter=0.2)


def follower_inboxes():
    """Where followers receive: a shared inbox once for all its server's followers."""
    inboxes = []
    for actor in RemoteActor.objects.filter(follower__isnull=False).only(
        "url", "inbox", "shared_inbox", "domain"
    ):
        if actor.delivery_inbox:
            inboxes.append(actor.delivery_inbox)
    return list(dict.fromkeys(inboxes))


def _blocked(host, blocked_domains):
    """Whether ``host`` or a domain it belongs to is in ``blocked_domains``."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in blocked_domains for i in range(len(parts)))


def _failing(inboxes):
    """Inboxes marked failing within the last day (after a day one delivery tries again)."""
    since = timezone.now() - timedelta(seconds=conf.FAILING_INBOX_SECONDS)
    return set(
        InboxHealth.objects.filter(inbox__in=inboxes, marked_failing_at__gte=since).values_list(
            "inbox", flat=True
        )
    )


def fan_out(kind, document, inboxes, uid=None):
    """Store ``document`` (an activity) and one waiting ``Delivery`` per inbox; return the
    ids of the rows to attempt now."""
    if uid is None:
        uid = document["id"].rstrip("/").rsplit("/", 1)[-1]
    inboxes = [
        i for i in dict.fromkeys(inboxes) if i and not Block.objects.blocks(domain=host_of(i))
    ]
    failing = _failing(inboxes)
    with transaction.atomic():
        activity, _created = Activity.objects.get_or_create(
            uid=uid, defaults={"kind": kind, "payload": document}
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    activity=activity,
                    inbox=inbox,
                    state=DeliveryState.SKIPPED if inbox in failing else DeliveryState.PENDING,
                    error="the inbox keeps failing" if inbox in failing else "",
                )
                for inbox in inboxes
            ],
            ignore_conflicts=True,
        )
    return list(
        Delivery.objects.filter(activity=activity, state=DeliveryState.PENDING).values_list(
            "pk", flat=True
        )
    )


@dataclass
class _Attempt:
    """What a thread needs to make one request (no database access there)."""

    row_id: int
    inbox: str
    body: bytes
    key_id: str
    private_pem: str
    rfc9421: bool
    status: int | None = None
    error: str = ""


class _Signer:
    """What every attempt of one batch shares, read once: the author's key and the inboxes
    known to read RFC 9421 signatures; each activity's body is serialised once."""

    def __init__(self, inboxes):
        self.key = key_for(LocalKey.AUTHOR)
        self.key_id = objects.key_id()
        known = RemoteActor.objects.filter(signs_rfc9421=True).filter(
            models.Q(inbox__in=inboxes) | models.Q(shared_inbox__in=inboxes)
        )
        self.rfc9421 = set()
        for inbox, shared_inbox in known.values_list("inbox", "shared_inbox"):
            self.rfc9421.update((inbox, shared_inbox))
        self.bodies = {}

    def prepare(self, row):
        body = self.bodies.get(row.activity_id)
        if body is None:
            body = json.dumps(row.activity.payload, ensure_ascii=False).encode()
            self.bodies[row.activity_id] = body
        return _Attempt(
            row.pk,
            row.inbox,
            body,
            self.key_id,
            self.key.private_pem,
            row.inbox in self.rfc9421,
        )


def _post(attempt, scheme):
    headers = signatures.sign_request(
        "POST", attempt.inbox, attempt.body, attempt.key_id, attempt.private_pem, scheme=scheme
    )
    headers.pop("Host", None)
    headers["Content-Type"] = conf.AP_CONTENT_TYPE
    headers["Accept"] = conf.AP_CONTENT_TYPE
    result = net.fetch(
        attempt.inbox,
        method="POST",
        headers=headers,
        content=attempt.body,
        timeout=conf.DELIVERY_TIMEOUT,
        max_bytes=conf.DELIVERY_MAX_BYTES,
        follow_redirects=False,
    )
    return result.status_code


def _send(attempt):
    """The request(s) of one attempt: RFC 9421 to a server known to sign with it, falling back
    to cavage (in the same attempt) when it answers 401 or 403."""
    try:
        status = None
        if attempt.rfc9421:
            status = _post(attempt, signatures.RFC9421)
        if status is None or status in (401, 403):
            status = _post(attempt, signatures.CAVAGE)
        attempt.status = status
    except net.FetchError as error:
        attempt.error = error.reason
    except Exception as error:  # noqa: BLE001 - a thread must report, not die
        attempt.error = f"{type(error).__name__}: {error}"
    return attempt


def _delivered(attempt):
    return attempt.status is not None and 200 <= attempt.status < 300


def _record_failure(row, attempt, health, now):
    """Store a failed attempt on its row and its inbox's ``health``; return the Outcome."""
    error = attempt.error or f"HTTP {attempt.status}"
    temporary = attempt.status is None or attempt.status in (408, 429) or attempt.status >= 500
    if attempt.status == 410:
        # The actor is gone: it follows no more (a shared inbox answering 410 tells nothing).
        Follower.objects.filter(actor__inbox=row.inbox).delete()
    row.attempts += 1
    outcome = BACKOFF.failed(row.attempts, error, temporary=temporary, now=now)
    row.status_code = attempt.status
    row.error = outcome.error
    row.next_attempt_at = outcome.retry_at
    row.state = DeliveryState.PENDING if outcome.is_retry else DeliveryState.FAILED
    row.save(update_fields=["attempts", "status_code", "state", "error", "next_attempt_at"])
    health.failures += 1
    health.failing_since = health.failing_since or now
    health.last_error = error[:500]
    if (
        health.failures >= conf.FAILING_INBOX_FAILURES
        and (now - health.failing_since).total_seconds() >= conf.FAILING_INBOX_SECONDS
    ):
        health.marked_failing_at = now
    health.save()
    return outcome


def _record_all(rows, attempts):
    """Record a batch of attempts in one transaction: the delivered rows in one UPDATE per
    status code, the inboxes' health read in one query and written only where it changes,
    each failure on its own row; return ``{row_id: Outcome}``."""
    now = timezone.now()
    inboxes = {row.inbox for row in rows}
    healths = {h.inbox: h for h in InboxHealth.objects.filter(inbox__in=inboxes)}
    outcomes, delivered = {}, {}
    delivered_inboxes, failed_inboxes = set(), set()
    with transaction.atomic():
        for row, attempt in zip(rows, attempts, strict=True):
            if _delivered(attempt):
                delivered.setdefault(attempt.status, []).append(row.pk)
                delivered_inboxes.add(row.inbox)
                outcomes[row.pk] = outbox.Outcome.sent("delivered")
                continue
            failed_inboxes.add(row.inbox)
            health = healths.setdefault(row.inbox, InboxHealth(inbox=row.inbox))
            outcomes[row.pk] = _record_failure(row, attempt, health, now)
        for status, ids in delivered.items():
            Delivery.objects.filter(pk__in=ids).update(
                state=DeliveryState.SENT,
                status_code=status,
                error="",
                sent_at=now,
                next_attempt_at=None,
                attempts=models.F("attempts") + 1,
            )
        # A success clears an inbox's failures (it may have failed for another activity),
        # unless it failed in this batch too.
        InboxHealth.objects.filter(inbox__in=delivered_inboxes - failed_inboxes).exclude(
            failures=0, marked_failing_at__isnull=True
        ).update(failures=0, failing_since=None, marked_failing_at=None, last_error="")
    return outcomes


def _due_rows(row_ids):
    """The rows among ``row_ids`` still waiting and due (within five seconds), one query."""
    soon = timezone.now() + timedelta(seconds=5)
    return list(
        Delivery.objects.select_related("activity")
        .filter(pk__in=row_ids, state=DeliveryState.PENDING)
        .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=soon))
        .order_by("pk")
    )


def deliver(row_id):
    """One attempt at one delivery (the task's body); returns an ``outbox.Outcome``."""
    outcomes = deliver_many([row_id])
    return outcomes.get(row_id) or outbox.Outcome.skipped("not due")


def deliver_many(row_ids):
    """Attempt these deliveries, at most ``SALON_FEDERATION_CONCURRENCY`` requests at once;
    return ``{row_id: Outcome}`` for the rows that were due. The database is read before and
    written after the requests, a few queries for the whole batch. The sending threads (signing
    and HTTP, no database) run at the idle priority (``core.priority``): a fan-out uses the CPU
    time readers leave."""
    rows = _due_rows(row_ids)
    if not rows:
        return {}
    signer = _Signer({row.inbox for row in rows})
    attempts = [signer.prepare(row) for row in rows]
    workers = min(conf.concurrency(), len(attempts))
    if workers <= 1:
        done = [_send(a) for a in attempts]
    else:
        with ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="salon-ap", initializer=priority.idle_thread
        ) as pool:
            done = list(pool.map(_send, attempts))
    return _record_all(rows, done)
