"""Sign-in throttling with django-axes, on Salon's terms.

Failures are counted per account and per address (either reaching ``SALON_LOGIN_FAILURES``
locks); a lock-out ends by itself after ``SALON_LOGIN_LOCKOUT_MINUTES``. The address is the one
``salon.core.client_ip`` reads (trusted proxies only), never a header anyone may write.
"""

from django.conf import settings
from django.shortcuts import render

from salon.core import client_ip


def axes_client_ip(request):
    """``AXES_CLIENT_IP_CALLABLE``: the one way Salon reads a client's address."""
    return client_ip(request) or "0.0.0.0"


def minutes():
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lock-out page, in the reader's language, 429."""
    response = render(request, "accounts/locked_out.html", {"minutes": minutes()}, status=429)
    response["Retry-After"] = str(minutes() * 60)
    return response
