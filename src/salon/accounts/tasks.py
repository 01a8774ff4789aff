"""Background work of the accounts: the lock-out notice. The only module of the app that
enqueues; the receiver of axes' ``user_locked_out`` is here, connected in ``ready()``."""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db import transaction
from django.db.models import Sum
from django_tasks import task

from salon import outbox
from salon.conversations.tasks import send_after_commit

from . import mail


@task()
def tell_author_of_lockout(username, ip_address):
    failures = (
        AccessAttempt.objects.filter(username=username or "").aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or AccessAttempt.objects.filter(ip_address=ip_address).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )
    with transaction.atomic():
        send_after_commit(mail.lockout_notice(username, ip_address, failures))


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    outbox.enqueue_at(tell_author_of_lockout, None, username or "", ip_address or "")


def connect():
    user_locked_out.connect(locked_out, dispatch_uid="salon.accounts.locked_out")
