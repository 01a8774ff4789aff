"""Background work of the conversation: mail and spam purging. Tasks take ids, not objects."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from . import mail, services
from .models import MailState, OutgoingMail, Response, Scope, State, Subscriber, Subscription

logger = logging.getLogger("salon.conversations")


@task()
def deliver_mail(mail_id):
    """Send one stored message; when it fails, enqueue itself again after the backoff delay.

    Backends that cannot defer (the immediate backend of the tests) leave the retry to
    ``salon send-mail``, which sends every message whose next attempt is due.
    """
    message = OutgoingMail.objects.filter(pk=mail_id, state=MailState.QUEUED).first()
    if message is None:
        return "gone"
    if mail.deliver(message):
        return "sent"
    if message.state == MailState.QUEUED and deliver_mail.get_backend().supports_defer:
        deliver_mail.using(run_after=message.next_attempt_at).enqueue(mail_id)
    return "retry"


@task()
def notify_author(response_id):
    response = Response.objects.select_related("post").filter(pk=response_id).first()
    if response is None:
        return
    with transaction.atomic():
        mail.author_notice(response)


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
            mail.followup(response, subscription)
    return len(sent_to)


@task()
def send_confirmation(subscriber_id, language, post_id=None):
    from salon.blog.models import Post

    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).first()
    if subscriber is None:
        return
    post = Post.objects.filter(pk=post_id).first() if post_id else None
    with transaction.atomic():
        mail.confirmation(subscriber, language, post)


@task()
def purge_spam():
    count = services.purge_spam()
    if count:
        logger.info("Deleted %s old spam responses.", count)
    return count
