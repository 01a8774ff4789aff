"""The author adds a passkey from /account/passkeys/ in Chromium (a virtual authenticator of
the DevTools WebAuthn domain stands for the fingerprint reader); the next sign-in asks for it,
and the passkey opens the admin. No page of the way breaks the CSP."""

import pytest
from django.contrib.auth import get_user_model
from django_otp_webauthn.models import WebAuthnCredential

from .hostile import Watcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and right password"


def sign_in(page, base, next_path="/admin/"):
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", "author")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_a_passkey_is_added_then_asked_for(live_server, page_in, settings):
    get_user_model().objects.create_superuser("author", "me@example.org", PASSWORD)
    base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context for WebAuthn
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    page = page_in(locale="en-GB")
    watcher = Watcher(page, base)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    sign_in(page, base)
    # No synthetic clicks on this page: one on "Add a passkey" would start a registration
    # of its own, racing the one below (the loser's "already registered" message could end
    # up shown).
    seen = watcher.visit(f"{base}/account/passkeys/", interact=False)
    page.get_by_role("button", name="Add a passkey").click()
    # The final message, shown once the last response (and the cookie it sets) is in: an
    # earlier one ("busy") left that response in flight, to land after the cookies were
    # cleared below and bring the session back.
    page.wait_for_function(
        "() => { const m = document.getElementById('passkey-register-status-message');"
        " const b = document.getElementById('passkey-register-button');"
        " return m && b && !b.disabled && m.textContent.trim().length > 0; }"
    )
    status = page.locator("#passkey-register-status-message").text_content()
    assert "successful" in status.lower(), status
    assert WebAuthnCredential.objects.filter(user__username="author", confirmed=True).count() == 1
    assert page.evaluate("window.__salonViolations") == [], seen

    # A new session: the password alone no longer opens the admin. The passkeys page first
    # goes away, so that nothing it still loads after the registration (its list, a reload)
    # brings the old session's cookie back after it is cleared.
    page.goto("about:blank")
    page.context.clear_cookies()
    assert page.context.cookies() == []
    sign_in(page, base)
    assert "/account/verify/" in page.url
    assert page.evaluate("window.__salonViolations") == []
    with page.expect_navigation(url=f"{base}/admin/"):
        page.get_by_role("button", name="Use a passkey").click()
    assert page.locator("#site-name, #user-tools").count() >= 1
    assert watcher.visit(f"{base}/admin/")["violations"] == []
