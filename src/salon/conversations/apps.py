from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "salon.conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from salon.studio import bar

        from . import (
            checks,  # noqa: F401 (registers the settings check)
            tasks,
        )

        tasks.connect()
        # The desk in the signed-in author's bar, on every page.
        bar.add_link("conversations:desk", _("Conversations"))
