from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "salon.federation"
    label = "federation"
    verbose_name = _("Fediverse")

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the settings check)
            receivers,
        )

        receivers.connect()
