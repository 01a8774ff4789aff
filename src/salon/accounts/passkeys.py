"""Passkeys (django-otp-webauthn) on Salon's terms: the relying party is the host the author
signs in at (one of ``ALLOWED_HOSTS``: Django has checked it), named after the site; only a
signed-in author registers one, and only as a second factor (no passwordless sign-in)."""

from django.conf import settings
from django_otp_webauthn.helpers import WebAuthnHelper


def rp_id(request):
    """``OTP_WEBAUTHN_RP_ID_CALLABLE``: the host name of the request (validated by Django
    against ``ALLOWED_HOSTS``), without its port."""
    host = request.get_host()
    if host.startswith("["):
        return host[1 : host.index("]")]
    return host.rsplit(":", 1)[0] if ":" in host else host


def rp_name(request):
    return settings.SALON_SITE_NAME


class Helper(WebAuthnHelper):
    """The origins a ceremony may come from: the site's address, and the origin of this very
    request (its host passed ``ALLOWED_HOSTS``: a second name the site answers to)."""

    def get_allowed_origins(self):
        site = settings.SITE_URL.split("://", 1)
        origins = {f"{site[0]}://{site[1].split('/', 1)[0]}"}
        origins.add(f"{self.request.scheme}://{self.request.get_host()}")
        return sorted(origins)
