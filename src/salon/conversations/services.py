"""How any door puts a response into the conversation: the public functions of this app.

The comment form, the Webmention receiver, the importer and (later) ActivityPub create rows of
the one ``Response`` model; these functions give them one moderation rule and one notification
path. Use them rather than setting ``Response.state`` by hand.

``submit_response(response)``
    Decide whether a new (or updated) response is published at once or held, save it, and,
    once the transaction commits, tell the author by e-mail and, when it is published, the
    subscribers. Returns the saved response with its ``state``.
``approve(response)``, ``mark_spam(response)``, ``hold(response)``
    Moderation: change the state and run what follows (follow-up mail on first approval).
``is_known_author(email)``, ``is_known_domain(domain)``
    Has a response from this e-mail address / from this domain ever been approved? A first
    Webmention from a domain never approved before is held in the default mode.
``domain_of(url)``
    The host that ``is_known_domain`` compares (lower-case, no ``www.``).
``moderation_state(response)``, ``moderation_decision(response)``
    The state ``submit_response`` would choose (and, for the second, what decided it: a
    ``models.Check`` stored on the response as ``checks``, shown on the desk), without saving.
``answer(parent, text, language=None)``
    The author's answer to a response: published at once, threaded under it, signed with the
    author's public name, photo and address (``salon.core.identity``, never the login name);
    subscribers hear of it as of any reply, and ``author_answered`` lets the door the parent
    came through carry it back.

The moderation mode (``SALON_COMMENTS_MODERATION``):

- ``first-time`` (default): a response is published at once when its author is known (an
  approved response with the same e-mail, for Webmentions from the same domain, for federated
  responses from the same actor), otherwise held;
- ``all``: every response is held; ``none``: every response is published.

Whatever the mode, a response with more links than ``SALON_COMMENTS_MAX_LINKS`` is held, and a
response the caller marked as spam (``response.state = State.SPAM`` before the call: honeypot,
a form sent too fast) stays spam: it is kept, not shown, and nobody is notified.
"""

import logging

from django.db import transaction

from salon.core import identity

from . import conf, signals, text
from .models import Check, Kind, Origin, Response, State, domain_of

__all__ = [
    "submit_response",
    "approve",
    "mark_spam",
    "hold",
    "delete",
    "is_known_author",
    "is_known_domain",
    "domain_of",
    "moderation_state",
    "moderation_decision",
    "answer",
]

logger = logging.getLogger("salon.conversations")

# Responses whose author is identified by where they live rather than by an e-mail address.
_DOMAIN_ORIGINS = {Origin.WEBMENTION, Origin.ACTIVITYPUB}


def is_known_author(email):
    """True when a response with this e-mail address was approved before."""
    email = (email or "").strip().lower()
    if not email:
        return False
    return Response.objects.approved().filter(author_email=email).exists()


def is_known_domain(domain):
    """True when a response from this domain (see ``domain_of``) was approved before.

    Pass a domain (``example.org``) or a URL; ``www.`` is ignored. Only responses that came
    through a Webmention or federation count, since a comment form's website field proves
    nothing about who typed it.
    """
    domain = (domain or "").strip().lower()
    if "/" in domain or ":" in domain:
        domain = domain_of(domain)
    domain = domain.removeprefix("www.")
    if not domain:
        return False
    return Response.objects.approved().filter(domain=domain, origin__in=_DOMAIN_ORIGINS).exists()


def _is_known(response):
    if response.origin == Origin.ACTIVITYPUB:
        # A fediverse server hosts many people: trust goes to the actor (its profile address,
        # which federation sets), not to everyone on its server.
        return bool(response.author_url) and (
            Response.objects.approved()
            .filter(origin=Origin.ACTIVITYPUB, author_url=response.author_url)
            .exists()
        )
    if response.origin in _DOMAIN_ORIGINS:
        return is_known_domain(domain_of(response.source_url) or domain_of(response.author_url))
    return is_known_author(response.author_email)


def moderation_decision(response):
    """``(state, check, figure)``: the state ``submit_response`` would give this response, what
    decided it (a ``Check``) and the measure behind it (links counted), nothing saved.

    A response already approved keeps its state and its earlier reason (``check`` is None)."""
    if response.state == State.SPAM:
        return State.SPAM, response.checks or Check.DOOR_SPAM, response.checks_figure
    if response.pk and response.state == State.APPROVED:
        # An update of a published response (a Webmention edited at its source) stays published.
        return State.APPROVED, None, None
    mode = conf.moderation_mode()
    if mode == conf.MODERATION_ALL:
        return State.PENDING, Check.HOLD_ALL, None
    links = text.count_links(response.content)
    if links > conf.max_links():
        return State.PENDING, Check.TOO_MANY_LINKS, links
    if mode == conf.MODERATION_NONE:
        return State.APPROVED, Check.OPEN, None
    by_domain = response.origin in _DOMAIN_ORIGINS
    if _is_known(response):
        return State.APPROVED, Check.KNOWN_DOMAIN if by_domain else Check.KNOWN_AUTHOR, None
    return State.PENDING, Check.NEW_DOMAIN if by_domain else Check.NEW_AUTHOR, None


def moderation_state(response):
    """The state ``submit_response`` would give this response (nothing is saved)."""
    return moderation_decision(response)[0]


def submit_response(response, *, notify_author=True):
    """Put a response into the conversation: moderation state, save, notifications.

    ``response`` is an unsaved (or updated) ``Response`` with at least ``post``, ``kind``,
    ``origin``, ``author_name`` and ``content`` (or ``content_html``); ``parent`` for a reply.
    Set ``state = State.SPAM`` beforehand to store it as spam. Language, shown HTML and domain
    are filled in by ``Response.save()``.

    Mail is never sent here: this function sends ``response_submitted`` (with
    ``notify_author``) and, when published, ``response_approved``; ``tasks.py`` hears them and
    enqueues the author's notice (unless ``notify_author`` is false, or the response is spam)
    and the subscribers' follow-ups once the surrounding transaction commits, so a failing mail
    server cannot lose a response.
    """
    with transaction.atomic():
        state, check, figure = moderation_decision(response)
        response.state = state
        if check is not None:
            response.checks, response.checks_figure = check, figure
        response.save()
    signals.response_submitted.send(sender=Response, response=response, notify_author=notify_author)
    if response.state == State.APPROVED:
        signals.response_approved.send(sender=Response, response=response)
    return response


def answer(parent, text, *, language=None):
    """Publish the author's answer to ``parent`` and return it (see the module's docstring).

    ``language`` is what the author wrote in; detected from the text when not given."""
    author = identity.author()
    reply = Response(
        post=parent.post,
        parent=parent,
        kind=Kind.COMMENT,
        origin=Origin.AUTHOR,
        by_author=True,
        state=State.APPROVED,
        checks=Check.AUTHOR,
        author_name=author.name,
        author_email=author.email,
        author_url=author.url,
        author_photo=author.photo,
        content=text,
        language=language or "",
    )
    with transaction.atomic():
        reply.save()
        transaction.on_commit(
            lambda: signals.author_answered.send(sender=Response, response=reply, parent=parent)
        )
    signals.response_submitted.send(sender=Response, response=reply, notify_author=False)
    signals.response_approved.send(sender=Response, response=reply)
    return reply


def moderate(response, state):
    """Put a response in ``state`` (approved, spam or pending), with what that entails: the
    follow-ups of a first approval, the signals of a response entering or leaving the page."""
    return _set_state(response, state)


def _set_state(response, state):
    previous = response.state
    if previous == state:
        return response
    response.state = state
    response.save(update_fields=["state", "updated_at"])
    if state == State.APPROVED:
        signals.response_approved.send(sender=Response, response=response)
    elif previous == State.APPROVED:
        signals.response_withdrawn.send(sender=Response, response=response)
    return response


def approve(response):
    """Publish a response; subscribers hear of it the first time it is approved."""
    return _set_state(response, State.APPROVED)


def mark_spam(response):
    """Mark as spam: kept for ``SALON_SPAM_RETENTION_DAYS`` days, then deleted."""
    return _set_state(response, State.SPAM)


def hold(response):
    """Send a response back to the moderation queue."""
    return _set_state(response, State.PENDING)


def delete(response):
    was_public = response.state == State.APPROVED
    response.delete()
    if was_public:
        signals.response_withdrawn.send(sender=Response, response=response)


def purge_spam(days=None):
    """Delete spam older than ``days`` (default ``SALON_SPAM_RETENTION_DAYS``); returns how many."""
    days = conf.spam_retention_days() if days is None else days
    count, _details = Response.objects.expired_spam(days).delete()
    return count
