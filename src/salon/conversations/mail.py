"""The mail this app writes: the author's notice, follow-ups, subscription confirmations.

Every message is rendered (text and HTML, in the reader's language) into an ``OutgoingMail``
row when the event happens (the functions here return the row), then sent by the
``deliver_mail`` task that ``tasks.py`` enqueues; ``deliver`` makes one attempt and returns an
``outbox.Outcome``, and a failed send is retried after the delays of ``BACKOFF``. Templates autoescape the HTML part; user text reaches it only
through the response's cleaned HTML or escaped.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from salon import outbox

from . import conf, text, tokens
from .models import MailState, OutgoingMail, State

logger = logging.getLogger("salon.conversations")

MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 3600
CONFIRMATION_INTERVAL = timedelta(hours=24)

AUTHOR_NOTICE = "author-notice"
FOLLOWUP = "followup"
CONFIRMATION = "confirmation"


def absolute(path):
    return settings.SITE_URL + path


def retry_delay(attempts):
    """Seconds to wait after ``attempts`` failed sends: 1 min, 2, 4… at most 6 hours."""
    return outbox.doubling(FIRST_RETRY_SECONDS, LONGEST_RETRY_SECONDS, attempts)


# After the MAX_ATTEMPTS-th failed send, the message is given up.
BACKOFF = outbox.Backoff.doubling(FIRST_RETRY_SECONDS, LONGEST_RETRY_SECONDS, MAX_ATTEMPTS)


def _one_line(value):
    return " ".join(str(value).split())[:300]


def queue(purpose, to, subject, template, context, language, headers=None):
    """Render ``template`` (``.txt`` and ``.html``) in ``language`` and store it. Returns the
    ``OutgoingMail`` row, which the calling task hands to ``deliver_mail``."""
    with translation.override(language):
        context = {
            "site_name": settings.SALON_SITE_NAME,
            "site_url": settings.SITE_URL,
            "language": language,
            **context,
        }
        subject = _one_line(subject() if callable(subject) else subject)
        body_text = render_to_string(f"conversations/mail/{template}.txt", context)
        body_html = render_to_string(f"conversations/mail/{template}.html", context)
    return OutgoingMail.objects.create(
        purpose=purpose,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )


def _response_context(response):
    return {
        "response": response,
        "post": response.post,
        "post_url": absolute(response.post.get_absolute_url()),
        "response_url": absolute(response.get_absolute_url()),
        "response_text": text.strip_tags(response.shown_html).strip(),
        "response_html": response.shown_html,
    }


def author_notice(response):
    """Tell the author a response arrived (held or published), with one-click moderation."""
    to = conf.author_email()
    if not to or response.state == State.SPAM:
        return None
    links = {
        f"{action}_url": absolute(
            reverse("conversations:moderate", args=[tokens.moderation_token(response, action)])
        )
        for action in ("approve", "spam")
    }
    context = {
        **_response_context(response),
        **links,
        "held": response.state == State.PENDING,
        "desk_url": absolute(reverse("conversations:desk")) + f"?focus={response.pk}#desk-focus",
        "answer_url": absolute(reverse("conversations:desk_answer", args=[response.pk]))
        if response.is_threaded
        else "",
    }

    def subject():
        if response.state == State.PENDING:
            return _("[%(site)s] To moderate: %(name)s on “%(post)s”") % {
                "site": settings.SALON_SITE_NAME,
                "name": response.author_name,
                "post": response.post.title,
            }
        return _("[%(site)s] New response by %(name)s on “%(post)s”") % {
            "site": settings.SALON_SITE_NAME,
            "name": response.author_name,
            "post": response.post.title,
        }

    return queue(AUTHOR_NOTICE, to, subject, "author_notice", context, conf.author_language())


def followup(response, subscription):
    """One follow-up: a new approved response, to one subscriber, with RFC 8058 headers."""
    unsubscribe_url = absolute(
        reverse("conversations:unsubscribe", args=[tokens.unsubscribe_token(subscription)])
    )
    context = {
        **_response_context(response),
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
    }

    def subject():
        return _("[%(site)s] New comment on “%(post)s”") % {
            "site": settings.SALON_SITE_NAME,
            "post": response.post.title,
        }

    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{_one_line(response.post.title)[:60]} <post-{response.post_id}."
        f"{settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else 'salon'}>",
    }
    return queue(
        FOLLOWUP,
        subscription.subscriber.email,
        subject,
        "followup",
        context,
        subscription.language,
        headers,
    )


def confirmation(subscriber, language, post=None):
    """Ask an address that never confirmed to confirm its first subscription.

    At most one such mail per address per day, so the form cannot be used to flood someone.
    """
    recent = OutgoingMail.objects.filter(
        purpose=CONFIRMATION,
        to=subscriber.email,
        created_at__gte=timezone.now() - CONFIRMATION_INTERVAL,
    )
    if recent.exists():
        return None
    confirm_url = absolute(
        reverse("conversations:confirm", args=[tokens.confirmation_token(subscriber)])
    )
    context = {
        "subscriber": subscriber,
        "post": post,
        "confirm_url": confirm_url,
        "post_url": absolute(post.get_absolute_url()) if post else settings.SITE_URL,
    }

    def subject():
        return _("[%(site)s] Please confirm your subscription") % {"site": settings.SALON_SITE_NAME}

    return queue(CONFIRMATION, subscriber.email, subject, "confirmation", context, language)


def deliver(mail):
    """Make one attempt at sending a queued message and return its ``outbox.Outcome``: sent,
    retry at the next time of ``BACKOFF``, or given up after ``MAX_ATTEMPTS`` (true when sent).
    The row keeps the count, the error and the next time; the task schedules the retry."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers or {},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    mail.attempts += 1
    try:
        message.send()
    except Exception as error:  # any failure of the mail server is a reason to retry later
        outcome = BACKOFF.failed(mail.attempts, f"{type(error).__name__}: {error}")
        mail.last_error = outcome.error
        mail.next_attempt_at = outcome.retry_at
        if outcome.gave_up:
            mail.state = MailState.FAILED
            logger.error("Giving up mail %s to %s: %s", mail.pk, mail.to, mail.last_error)
        else:
            logger.warning(
                "Mail %s to %s failed (attempt %s), next at %s: %s",
                mail.pk,
                mail.to,
                mail.attempts,
                mail.next_attempt_at,
                mail.last_error,
            )
        mail.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
        return outcome
    mail.state = MailState.SENT
    mail.sent_at = timezone.now()
    mail.next_attempt_at = None
    mail.last_error = ""
    mail.save(update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error"])
    return outbox.Outcome.sent()
