from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "salon.languages"
    verbose_name = _("Languages")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
