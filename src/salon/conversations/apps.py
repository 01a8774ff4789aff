from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "salon.conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from salon.pagecache import fresh_field
        from salon.studio import bar

        from . import (
            checks,  # noqa: F401 (registers the settings check)
            tasks,
            tokens,
        )

        tasks.connect()
        # The desk in the signed-in author's bar, on every page.
        bar.add_link("conversations:desk", _("Conversations"))

        # The comment form's signed "shown at" time (the minimum delay before sending) must be
        # the visitor's own, also when the post page comes from the page cache.
        fresh_field("shown", lambda request: tokens.form_timestamp())
