"""The author sets up an authenticator app (codes generated here as the app would) with
recovery codes at /account/; from then on the admin and every staff page ask for a second
factor once per session."""

import pytest
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from lxml import html

from .conftest import PASSWORD, code_for

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/admin/",
    "/admin/blog/post/",
    "/reader/",
    "/my-conversations/",
    "/write/",
    "/desk/",
]


def set_up_authenticator(client):
    page = html.fromstring(client.get("/account/authenticator/").content)
    secret = page.cssselect("code.otp-secret")[0].text_content()
    device = TOTPDevice.objects.get(confirmed=False)
    assert len(secret) >= 16
    answer = client.post("/account/authenticator/", {"code": code_for(device)})
    assert answer.status_code == 200
    codes = [
        c.text_content() for c in html.fromstring(answer.content).cssselect(".recovery-codes code")
    ]
    return TOTPDevice.objects.get(confirmed=True), codes


def fresh_session(author):
    client = Client()
    assert client.login(request=RequestFactory().get("/"), username="author", password=PASSWORD)
    return client


def test_without_a_second_factor_nothing_more_is_asked(signed_in):
    assert signed_in.get("/admin/").status_code == 200
    assert b"Only your password protects this account" in signed_in.get("/account/").content


def test_a_wrong_first_code_sets_nothing_up(signed_in):
    signed_in.get("/account/authenticator/")
    wrong = signed_in.post("/account/authenticator/", {"code": "000000"})
    assert b"not the one the app shows" in wrong.content
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert signed_in.get("/admin/").status_code == 200


def test_setting_up_an_authenticator_gives_ten_recovery_codes(signed_in):
    device, codes = set_up_authenticator(signed_in)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.count() == 10
    assert signed_in.get("/admin/").status_code == 200, "the session that set it up is verified"


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_every_staff_page_asks_for_the_second_factor(signed_in, author, path):
    set_up_authenticator(signed_in)
    other = fresh_session(author)
    answer = other.get(path)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/verify/?next=")


def test_a_code_from_the_app_opens_the_session(signed_in, author):
    device, _codes = set_up_authenticator(signed_in)
    other = fresh_session(author)
    answer = other.post("/account/verify/", {"code": code_for(device, drift=1), "next": "/reader/"})
    assert answer.status_code == 302 and answer["Location"] == "/reader/"
    assert other.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next(signed_in, author):
    device, _codes = set_up_authenticator(signed_in)
    other = fresh_session(author)
    refused = other.post("/account/verify/", {"code": "123456", "next": "/admin/"})
    assert refused.status_code == 400
    assert b"not valid" in refused.content
    throttled = other.post("/account/verify/", {"code": code_for(device, drift=1)})
    assert throttled.status_code == 400, "django-otp makes the next try wait after a failure"
    assert other.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(signed_in, author):
    _device, codes = set_up_authenticator(signed_in)
    first = fresh_session(author)
    assert first.post("/account/verify/", {"code": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200
    second = fresh_session(author)
    assert second.post("/account/verify/", {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.count() == 9


def test_a_password_alone_cannot_add_a_passkey(signed_in, author):
    set_up_authenticator(signed_in)
    thief = fresh_session(author)
    begin = thief.post("/account/webauthn/registration/begin/", HTTP_ACCEPT="application/json")
    assert begin.status_code == 403
    assert thief.get("/account/passkeys/").status_code == 302
    assert thief.post("/account/recovery-codes/").status_code == 302
    assert StaticToken.objects.count() == 10


def test_new_recovery_codes_replace_the_old(signed_in):
    _device, old = set_up_authenticator(signed_in)
    page = html.fromstring(signed_in.post("/account/recovery-codes/").content)
    new = [c.text_content() for c in page.cssselect(".recovery-codes code")]
    assert len(new) == 10 and not set(new) & set(old)


def test_removing_the_last_factor_removes_the_recovery_codes(signed_in, author):
    device, _codes = set_up_authenticator(signed_in)
    answer = signed_in.post(f"/account/remove/authenticator/{device.pk}/")
    assert answer.status_code == 302
    assert not StaticToken.objects.exists()
    assert fresh_session(author).get("/admin/").status_code == 200


def test_the_verify_page_speaks_french(signed_in, author):
    set_up_authenticator(signed_in)
    other = fresh_session(author)
    page = html.fromstring(other.get("/account/verify/", HTTP_ACCEPT_LANGUAGE="fr").content)
    assert page.get("lang") == "fr"
    assert page.cssselect("h1")[0].text_content() == "Second facteur"


def test_readers_and_anonymous_visitors_are_not_concerned(client, author):
    assert client.get("/account/").status_code == 302
    assert client.get("/account/verify/").status_code == 302
    assert client.get("/").status_code == 200
