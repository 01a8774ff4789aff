"""Who may use the writing page, and how its answers are kept (never)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def private(response):
    """No cache may keep it: not the browser's back-forward store, a proxy, or the page cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "") or (
        request.method == "POST" and request.POST.get("beacon") == "1"
    )


def author_only(view):
    """The signed-in author (a staff account) only; others are sent to sign in (a page) or
    refused (a save made after the session ended: the text stays in the browser)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            if request.method == "POST" or wants_json(request):
                response = JsonResponse(
                    {
                        "ok": False,
                        "signed_out": True,
                        "message": _(
                            "You are signed out: sign in again in another tab, then save; "
                            "your text is kept in this browser."
                        ),
                    },
                    status=403,
                )
            else:
                response = redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return private(response)
        return private(view(request, *args, **kwargs))

    return wrapped
