"""One rule for every staff page: an author who set up a second factor gives it once per
session before anything else (``StaffSecondFactorMiddleware``).

Placed after ``django_otp.middleware.OTPMiddleware``, it covers the admin, the writing room
(``/write/``), the desk (``/desk/``), the reader, and any staff view added later, without a
decorator: a signed-in staff account with a confirmed device whose session is not verified is
sent to ``/account/verify/`` from every address except the few the verification itself needs.
Registering a new passkey is not one of them, so a stolen password cannot add a factor.
"""

from urllib.parse import quote

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from .factors import has_second_factor

# What an unverified session may still reach: the verification page and the passkey
# verification it uses, signing out, static files, the language switch.
EXEMPT_PREFIXES = (
    "/account/verify/",
    "/account/webauthn/authentication/",
    "/account/webauthn/jsi18n/",
    "/account/sign-out/",
    "/admin/logout/",
    "/static/",
    "/i18n/",
    "/favicon.ico",
    "/robots.txt",
)


def needs_second_factor(request):
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and not user.is_verified()
        and has_second_factor(user)
    )


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT_PREFIXES) and needs_second_factor(request):
            verify = reverse("accounts:verify")
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse(
                    {"detail": "second factor required", "verify": verify}, status=403
                )
            return HttpResponseRedirect(f"{verify}?next={quote(request.get_full_path())}")
        return self.get_response(request)
