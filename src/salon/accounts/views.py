"""The author's security pages at /account/: second factors (an authenticator app with
recovery codes, passkeys), their removal, and the verification asked once per session."""

import base64

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import factors

OVERVIEW = "accounts:overview"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@staff_member_required
def overview(request):
    user = request.user
    return render(
        request,
        "accounts/overview.html",
        {
            "authenticators": factors.authenticators(user),
            "passkeys": factors.passkeys(user),
            "recovery_codes": factors.remaining_recovery_codes(user),
            "has_second_factor": factors.has_second_factor(user),
        },
    )


@never_cache
@staff_member_required
def authenticator(request):
    """Set up an authenticator app: its key (and otpauth address) shown, then its first code
    confirms it; recovery codes come with the first second factor."""
    device = factors.pending_authenticator(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            first = not factors.has_second_factor(request.user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = factors.new_recovery_codes(request.user) if first else None
            if codes:
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
            return redirect(OVERVIEW)
        form.add_error("code", _("This code is not the one the app shows now. Try the next."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/authenticator.html",
        {"form": form, "secret": secret, "config_url": device.config_url},
    )


@never_cache
@staff_member_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not factors.has_second_factor(request.user):
        return redirect(OVERVIEW)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": factors.new_recovery_codes(request.user)},
    )


@never_cache
@staff_member_required
def passkeys(request):
    return render(request, "accounts/passkeys.html", {"passkeys": factors.passkeys(request.user)})


@never_cache
@staff_member_required
@require_POST
def remove(request, kind, pk):
    """Remove an authenticator app or a passkey (the session is verified: the middleware saw
    to it). With the last one, the recovery codes go too."""
    queryset = factors.authenticators if kind == "authenticator" else factors.passkeys
    get_object_or_404(queryset(request.user), pk=pk).delete()
    if not factors.has_second_factor(request.user):
        device = factors.recovery_device(request.user)
        if device:
            device.delete()
    return redirect(OVERVIEW)


@never_cache
def verify(request):
    """The second factor, asked once per session: a code from the app, a recovery code, or a
    passkey."""
    user = request.user
    target = _next(request, "/admin/")
    if not user.is_authenticated:
        return redirect(f"/admin/login/?next={target}")
    if user.is_verified() or not factors.has_second_factor(user):
        return redirect(target)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = factors.check_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(target)
        form.add_error(
            "code", _("This code is not valid (or was used already). Wait for the next one.")
        )
    return render(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "next": target,
            "has_passkey": factors.passkeys(user).exists(),
            "has_authenticator": factors.authenticators(user).exists(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("blog:home")
