from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "salon.conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from . import checks  # noqa: F401 (registers the settings check)
