"""`salon check` refuses federation settings that cannot work, naming the setting."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("SALON_FEDIVERSE_HANDLE", "not a handle!", "federation.E001"),
        ("SALON_FEDIVERSE_HANDLE", "me@bad host", "federation.E001"),
        ("SALON_FEDERATION_RATE_LIMIT", "lots", "federation.E002"),
        ("SALON_FEDIVERSE_ALSO_KNOWN_AS", ["@me@mastodon.example"], "federation.E003"),
        ("SALON_FEDERATION_CONCURRENCY", 0, "federation.E004"),
    ],
)
def test_bad_settings_are_refused(settings, name, value, code):
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError, match=code):
        call_command("check")


@pytest.mark.parametrize("value", ["", "plume", "@plume@blog.example", "plume@blog.example"])
def test_good_handles_pass(settings, value):
    settings.SALON_FEDIVERSE_HANDLE = value
    call_command("check")
