from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "salon.site"
    verbose_name = _("Site")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
