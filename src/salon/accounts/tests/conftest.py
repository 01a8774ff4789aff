import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django_otp.oath import totp

PASSWORD = "a long and right password"


@pytest.fixture
def author(db):
    return get_user_model().objects.create_superuser("author", "me@example.org", PASSWORD)


@pytest.fixture
def signed_in(client, author):
    assert client.login(request=RequestFactory().get("/"), username="author", password=PASSWORD)
    return client


def code_for(device, drift=0):
    """The code the author's app shows (``drift`` steps of 30 s later: a code is accepted
    once, and the tolerance of one step lets a test give the next)."""
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift):06d}"
    )
