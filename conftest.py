"""Settings every test shares; fixtures live in each app's tests/ and in tests/."""

from django.conf import settings


def pytest_configure(config):
    # Background tasks run at once in tests (STYLE: "Tests run tasks immediately").
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tests talk to real peers on 127.0.0.1 only; the guard stays on for every other range.
    settings.SALON_NET_ALLOW_LOOPBACK = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = dict(
        settings.STORAGES,
        staticfiles={"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    )
