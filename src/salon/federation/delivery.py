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

from django.db import transaction
from django.utils import timezone

from salon import net, outbox

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


def _prepare(row):
    key = key_for(LocalKey.AUTHOR)
    rfc9421 = RemoteActor.objects.filter(signs_rfc9421=True, inbox=row.inbox).exists() or (
        RemoteActor.objects.filter(signs_rfc9421=True, shared_inbox=row.inbox).exists()
    )
    body = json.dumps(row.activity.payload, ensure_ascii=False).encode()
    return _Attempt(row.pk, row.inbox, body, objects.key_id(), key.private_pem, rfc9421)


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


def _record(row, attempt):
    """Store what one attempt learnt on its row and the inbox's health; return the Outcome."""
    now = timezone.now()
    row.attempts += 1
    row.status_code = attempt.status
    health, _created = InboxHealth.objects.get_or_create(inbox=row.inbox)
    if attempt.status is not None and 200 <= attempt.status < 300:
        row.state, row.error, row.sent_at, row.next_attempt_at = DeliveryState.SENT, "", now, None
        row.save()
        if health.failures or health.marked_failing_at:
            health.failures, health.failing_since, health.marked_failing_at = 0, None, None
            health.last_error = ""
            health.save()
        return outbox.Outcome.sent("delivered")
    error = attempt.error or f"HTTP {attempt.status}"
    temporary = attempt.status is None or attempt.status in (408, 429) or attempt.status >= 500
    if attempt.status == 410:
        # The actor is gone: it follows no more (a shared inbox answering 410 tells nothing).
        Follower.objects.filter(actor__inbox=row.inbox).delete()
    outcome = BACKOFF.failed(row.attempts, error, temporary=temporary, now=now)
    row.error = outcome.error
    row.next_attempt_at = outcome.retry_at
    row.state = DeliveryState.PENDING if outcome.is_retry else DeliveryState.FAILED
    row.save()
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


def _due_row(row_id):
    row = Delivery.objects.select_related("activity").filter(pk=row_id).first()
    if row is None or row.state != DeliveryState.PENDING:
        return None
    if row.next_attempt_at and row.next_attempt_at > timezone.now() + timedelta(seconds=5):
        return None
    return row


def deliver(row_id):
    """One attempt at one delivery (the task's body); returns an ``outbox.Outcome``."""
    row = _due_row(row_id)
    if row is None:
        return outbox.Outcome.skipped("not due")
    return _record(row, _send(_prepare(row)))


def deliver_many(row_ids):
    """Attempt these deliveries, at most ``SALON_FEDERATION_CONCURRENCY`` requests at once;
    return ``{row_id: Outcome}``."""
    rows = [row for row in (_due_row(pk) for pk in row_ids) if row is not None]
    attempts = [_prepare(row) for row in rows]
    workers = min(conf.concurrency(), len(attempts))
    if workers <= 1:
        done = [_send(a) for a in attempts]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="salon-ap") as pool:
            done = list(pool.map(_send, attempts))
    return {row.pk: _record(row, attempt) for row, attempt in zip(rows, done, strict=True)}
