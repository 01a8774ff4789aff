"""Settings every test shares; fixtures live in each app's tests/ and in tests/."""

import pytest
from django.test.utils import override_settings
from django.utils import translation

TEST_LANGUAGE = "en"

TEST_SETTINGS = {
    # Background tasks run at once in tests (STYLE: "Tests run tasks immediately").
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    # Tests talk to real peers on 127.0.0.1 only; the guard stays on for every other range.
    "SALON_NET_ALLOW_LOOPBACK": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


def pytest_configure(config):
    from django.conf import settings

    TEST_SETTINGS["STORAGES"] = dict(
        settings.STORAGES,
        staticfiles={"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    )
    # override_settings (rather than assignment) sends setting_changed, so handlers that
    # were already built while the apps loaded (task backends, caches) are rebuilt.
    override_settings(**TEST_SETTINGS).enable()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as its database starts empty: a page or a rate
    count kept by an earlier test would belong to rows that were rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts and ends in the default interface language: a French request handled
    in-process leaves French active in the thread, which would leak into the next test."""
    translation.activate(TEST_LANGUAGE)
    yield
    translation.activate(TEST_LANGUAGE)
