"""Background work of the conversation: mail and spam purging. Tasks take ids, not objects.

This is the only module of the app that enqueues. The services announce what happened
(``signals``), and the receivers at the end of this module enqueue what follows: the author's
notice, the subscribers' follow-ups, the daily spam purge. The tasks that write mail hand each
new message to ``deliver_mail``, whose retries go through ``salon.outbox``.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from salon import outbox
from salon.blog.models import Post

from . import conf, mail, services, signals
from .models import OutgoingMail, Response, Scope, State, Subscriber, Subscription

logger = logging.getLogger("salon.conversations")


@task()
def deliver_mail(mail_id):
    """Send one stored message; when it fails, enqueue itself again for its next attempt.

    Backends that cannot defer (the immediate backend of the tests) leave the retry to
    ``salon send-mail``, which sends every message whose next attempt is due.
    """
    message = OutgoingMail.objects.waiting().filter(pk=mail_id).first()
    if message is None:
        return "gone"
    outcome = mail.deliver(message)
    outbox.retry_later(deliver_mail, outcome, mail_id)
    return "sent" if outcome.is_sent else "retry"


def send_after_commit(message):
    """Hand a message written by a task to ``deliver_mail`` once the transaction commits."""
    if message is not None:
        outbox.enqueue_at(deliver_mail, None, message.pk)
    return message


def deliver_now(mail_ids):
    """Enqueue an attempt at each of these messages now (the admin's "send again")."""
    for mail_id in mail_ids:
        deliver_mail.enqueue(mail_id)


@task()
def notify_author(response_id):
    response = Response.objects.select_related("post").filter(pk=response_id).first()
    if response is None:
        return
    with transaction.atomic():
        send_after_commit(mail.author_notice(response))


def _ancestor_ids(response):
    ids, node = [], response
    while node.parent_id:
        ids.append(node.parent_id)
        node = Response.objects.only("id", "parent_id").get(pk=node.parent_id)
    return ids


@task()
def send_followups(response_id):
    """One mail per subscriber who asked for this response: every new comment on the post,
    or replies (at any depth) under their own comment. Never to the response's own author."""
    claimed = Response.objects.filter(
        pk=response_id, state=State.APPROVED, followups_sent_at__isnull=True
    ).update(followups_sent_at=timezone.now())
    if not claimed:
        return 0
    response = Response.objects.select_related("post").get(pk=response_id)
    ancestors = _ancestor_ids(response)
    subscriptions = (
        Subscription.objects.active()
        .filter(post_id=response.post_id)
        .filter(Q(scope=Scope.ALL) | Q(scope=Scope.REPLIES, response_id__in=ancestors))
        .exclude(subscriber__email=response.author_email or None)
        .select_related("subscriber")
        .order_by("scope", "pk")  # "all" before "replies": one mail per address
    )
    sent_to = set()
    with transaction.atomic():
        for subscription in subscriptions:
            address = subscription.subscriber.email
            if address in sent_to:
                continue
            sent_to.add(address)
            send_after_commit(mail.followup(response, subscription))
    return len(sent_to)


def confirm_later(subscriber_id, language, post_id=None):
    """Ask a new address to confirm its subscription, from a task after the commit."""
    outbox.enqueue_at(send_confirmation, None, subscriber_id, language, post_id)


@task()
def send_confirmation(subscriber_id, language, post_id=None):
    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).first()
    if subscriber is None:
        return
    post = Post.objects.filter(pk=post_id).first() if post_id else None
    with transaction.atomic():
        send_after_commit(mail.confirmation(subscriber, language, post))


@task()
def purge_spam():
    count = services.purge_spam()
    if count:
        logger.info("Deleted %s old spam responses.", count)
    return count


# What follows a response, enqueued after the commit (receivers connected in ``ready()``).


def response_submitted(sender, response, **kwargs):
    """Tell the author (unless the door asked not to, or spam), and purge old spam once a day."""
    wanted = kwargs.get("notify_author", True)
    if response.state != State.SPAM and wanted and conf.author_email():
        outbox.enqueue_at(notify_author, None, response.pk)
    if cache.add("salon:conversations:spam-purged", timezone.now().isoformat(), 24 * 3600):
        outbox.enqueue_at(purge_spam, None)


def response_approved(sender, response, **kwargs):
    """Follow-ups go out once per response, on its first approval."""
    if response.followups_sent_at is None and response.kind in ("comment", "reply"):
        outbox.enqueue_at(send_followups, None, response.pk)


def connect():
    signals.response_submitted.connect(
        response_submitted, sender=Response, dispatch_uid="conversations_tasks_submitted"
    )
    signals.response_approved.connect(
        response_approved, sender=Response, dispatch_uid="conversations_tasks_approved"
    )
