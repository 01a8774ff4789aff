"""`salon check` (and every start) refuses federation settings that cannot work."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import conf


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for number, (name, read) in enumerate(
        [("SALON_FEDIVERSE_HANDLE", conf.handle), ("SALON_FEDERATION_RATE_LIMIT", conf.rate_limit)],
        start=1,
    ):
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id=f"federation.E00{number}", obj=name))
    for url in settings.SALON_FEDIVERSE_ALSO_KNOWN_AS:
        if not url.startswith(("https://", "http://")):
            errors.append(
                checks.Error(
                    f"SALON_FEDIVERSE_ALSO_KNOWN_AS: {url!r} is not an account's address "
                    "(an https:// ActivityPub id, such as https://mastodon.example/users/me).",
                    id="federation.E003",
                    obj="SALON_FEDIVERSE_ALSO_KNOWN_AS",
                )
            )
    if settings.SALON_FEDERATION_CONCURRENCY < 1:
        errors.append(
            checks.Error(
                "SALON_FEDERATION_CONCURRENCY must be at least 1.",
                id="federation.E004",
                obj="SALON_FEDERATION_CONCURRENCY",
            )
        )
    return errors
