import json

import pytest
from django.core.cache import cache
from django.test import TestCase

# A real SMTP server on loopback for the author's notices (the conversations' own fixture).
from salon.conversations.tests.conftest import smtp  # noqa: E402, F401, I001
from salon.federation import keys, objects
from salon.federation.models import LocalKey

from .peer import Peer


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run at once (see webmention's conftest for why through the settings fixture)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SALON_FEDERATION_CONCURRENCY = 1
    cache.clear()


_salon_pairs = {}


@pytest.fixture(autouse=True)
def _salon_keys(request):
    """Salon's two key pairs, made once per test run (RSA 2048 is slow) and put in the
    database of each test that has one, as ``keys.key_for`` would have made them."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names and "transactional_db" not in names:
        yield
        return
    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    for actor in (LocalKey.AUTHOR, LocalKey.INSTANCE):
        if actor not in _salon_pairs:
            _salon_pairs[actor] = keys.generate_pem_pair()
        private_pem, public_pem = _salon_pairs[actor]
        LocalKey.objects.get_or_create(
            actor=actor, defaults={"private_pem": private_pem, "public_pem": public_pem}
        )
    yield


@pytest.fixture
def peer():
    server = Peer().start()
    yield server
    server.stop()


@pytest.fixture
def trusting_peer(peer, db, site):
    """A peer that knows Salon's key already (Salon runs in the test client, so there is no
    server to fetch it from; the live-server tests fetch it for real)."""
    peer.known_keys[objects.key_id()] = keys.key_for(LocalKey.AUTHOR).public_pem
    instance = objects.key_id(LocalKey.INSTANCE)
    peer.known_keys[instance] = keys.key_for(LocalKey.INSTANCE).public_pem
    return peer


SITE = "https://blog.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["blog.example", "testserver", "127.0.0.1"]
    return SITE


def post_signed(client, peer, name, activity, path="/ap/inbox", **sign):
    """Deliver ``activity`` from ``peer``'s ``name`` to Salon's inbox through the test client,
    signed as Mastodon signs (``sign``: ``date``, ``key_name`` to sign with another's key)."""
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    headers = peer.sign(name, "POST", SITE + path, body, **sign)
    headers.pop("Host")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            path,
            data=body,
            content_type="application/activity+json",
            headers=headers,
            HTTP_HOST="blog.example",
            secure=True,
        )
