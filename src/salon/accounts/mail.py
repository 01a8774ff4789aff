"""The mail telling the author their sign-in was locked: written as a row of the conversations'
outbox (``OutgoingMail``), sent and retried by its ``deliver_mail`` task."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from salon.conversations import conf as conversations_conf
from salon.conversations.models import OutgoingMail

from .lockout import minutes

LOCKOUT = "login-lockout"


def recipient(username):
    """The author's address (``SALON_AUTHOR_EMAIL``), else the locked account's own when it is
    a staff account; None when nobody can be told."""
    to = conversations_conf.author_email()
    if to:
        return to
    user = get_user_model().objects.filter(username=username or "", is_staff=True).first()
    return user.email if user and user.email else None


def lockout_notice(username, ip_address, failures):
    """Queue the notice of a lock-out, at most once per lock-out period; returns the
    ``OutgoingMail`` row, or None when nothing is to be sent."""
    to = recipient(username)
    if not to:
        return None
    # One notice per lock-out period, whatever the account and address: someone trying many
    # names from many addresses must not flood the author's mailbox.
    recent = OutgoingMail.objects.filter(
        purpose=LOCKOUT, to=to, created_at__gte=timezone.now() - timedelta(minutes=minutes())
    )
    if recent.exists():
        return None
    context = {
        "site_name": settings.SALON_SITE_NAME,
        "site_url": settings.SITE_URL,
        "username": username or "",
        "ip_address": ip_address or "",
        "failures": failures,
        "minutes": minutes(),
        "account_url": settings.SITE_URL + "/account/",
    }
    with translation.override(conversations_conf.author_language()):
        subject = _("[%(site)s] Sign-in locked after %(count)s failed attempts") % {
            "site": settings.SALON_SITE_NAME,
            "count": failures,
        }
        body_text = render_to_string("accounts/mail/lockout.txt", context)
        body_html = render_to_string("accounts/mail/lockout.html", context)
    return OutgoingMail.objects.create(
        purpose=LOCKOUT,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers={"Auto-Submitted": "auto-generated"},
    )
