import pytest
from django.core.management import call_command

from salon.reader.models import Subscription

from .server import FeedServer


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Start the other Salon instance early, beside the other tests, when a selected test
    needs it (trylast: after -k and -m have deselected what they will)."""
    if any(item.module.__name__.endswith(".test_live_salon") for item in items):
        from .live import start_in_background

        start_in_background()


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run at once; set through the ``settings`` fixture so django-tasks drops any
    backend it cached while Django started."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def short_limits(settings):
    """Fetches in tests give up after a few seconds (not 15), so the timeout cases stay fast."""
    settings.SALON_READER_TIMEOUT = 4.0
    settings.SALON_READER_MAX_BYTES = 5 * 1024 * 1024
    settings.SALON_READER_INTERVAL = 3600
    settings.SALON_READER_CONCURRENCY = 4


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="pw", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def follow(db):
    """Follow a feed URL, as if subscribed: ``follow(url)`` returns the Subscription."""

    def make(url, **fields):
        return Subscription.objects.create(feed_url=url, **fields)

    return make


@pytest.fixture
def refresh_all(db):
    """Run ``salon refresh-feeds --all`` and return its summary line."""
    from io import StringIO

    def run(*args):
        out = StringIO()
        call_command("refresh-feeds", "--all", *args, stdout=out)
        return out.getvalue().strip()

    return run
