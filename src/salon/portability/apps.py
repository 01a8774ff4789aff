from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortabilityConfig(AppConfig):
    name = "salon.portability"
    label = "portability"
    verbose_name = _("Import, export and backups")
