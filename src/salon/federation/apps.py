from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "salon.federation"
    label = "federation"
    verbose_name = _("Fediverse")

    def ready(self):
        from . import receivers

        receivers.connect()
