"""Signed links sent by mail: moderation, subscription confirmation, unsubscription.

Each kind of link has its own salt, so a token made for one purpose is worthless for another,
and carries what it acts on plus a check value (the address, the post), so a row id reused
after a deletion cannot be hit by an old link.
"""

import time

from django.core import signing

MODERATE_SALT = "salon.conversations.moderate"
CONFIRM_SALT = "salon.conversations.confirm"
UNSUBSCRIBE_SALT = "salon.conversations.unsubscribe"

MODERATE_MAX_AGE = 30 * 24 * 3600
CONFIRM_MAX_AGE = 7 * 24 * 3600
FORM_SALT = "salon.conversations.form-shown"

# What the author's mail offers; "hold" (back to the queue) only serves as an undo.
MODERATION_ACTIONS = ("approve", "spam", "hold")


def moderation_token(response, action):
    """A link that applies ``action`` to ``response``. It also records the state the response
    is in now: the link acts on a plain visit only while that is still true, so when two links
    of one mail are followed (a mail scanner visits them all) only the first one acts."""
    return signing.dumps(
        {"r": response.pk, "p": response.post_id, "a": action, "s": response.state},
        salt=MODERATE_SALT,
        compress=True,
    )


def read_moderation_token(token):
    """``(response_id, post_id, action, state_when_signed)``; raises ``signing.BadSignature``
    when invalid or expired."""
    data = signing.loads(token, salt=MODERATE_SALT, max_age=MODERATE_MAX_AGE)
    if data.get("a") not in MODERATION_ACTIONS:
        raise signing.BadSignature("unknown action")
    return data["r"], data["p"], data["a"], data.get("s")


def confirmation_token(subscriber):
    return signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT, compress=True
    )


def read_confirmation_token(token):
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    return data["s"], data["e"]


def unsubscribe_token(subscription):
    return signing.dumps(
        {"u": subscription.pk, "e": subscription.subscriber.email},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def read_unsubscribe_token(token):
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return data["u"], data["e"]


def form_timestamp(again=False):
    """A signed 'the form was shown now' value for the comment form's hidden field.

    A post's page is the same for every reader (kept, published as a file), so it carries none:
    its script asks ``views.form_stamp`` for one when the reader starts on the form. ``again``
    marks the one given with the "send it again" page to a reader whose browser ran no script:
    they only have to press the button, so a shorter delay applies (``conf.min_seconds_again``).
    """
    now = round(time.time(), 3)
    return signing.dumps([now, "again"] if again else now, salt=FORM_SALT)


def read_form_timestamp(value):
    """``(seconds since the form was shown, whether it is an "again" stamp)``; None when the
    value is missing or forged."""
    try:
        shown = signing.loads(value or "", salt=FORM_SALT)
        again = isinstance(shown, list) and shown[1:] == ["again"]
        return time.time() - float(shown[0] if again else shown), again
    except (signing.BadSignature, ValueError, TypeError, IndexError, KeyError):
        return None
