"""The author's second factors: which they have, checking a code, recovery codes.

A second factor is any confirmed django-otp device: an authenticator app (TOTP), a passkey
(WebAuthn), or the recovery codes (a static device whose codes work once each). Recovery codes
alone do not count as having set up a second factor; they come with the first real one.
"""

import secrets

from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

RECOVERY_CODES = 10
RECOVERY_NAME = "recovery codes"


def authenticators(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def passkeys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


def has_second_factor(user):
    """Whether the user set up a second factor (then the admin and staff pages ask for it)."""
    if not user.is_authenticated:
        return False
    return authenticators(user).exists() or passkeys(user).exists()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


def remaining_recovery_codes(user):
    device = recovery_device(user)
    return device.token_set.count() if device else 0


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones, returned (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def pending_authenticator(user):
    """The authenticator being set up (unconfirmed until its first code), made when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="authenticator app")
    return device


def check_code(user, code):
    """The device a code from the user's authenticator app or recovery list belongs to, or
    None. django-otp throttles each device after a wrong code and refuses a code used twice."""
    code = "".join((code or "").split()).lower()
    if not code or len(code) > 20:
        return None
    return match_token(user, code)
