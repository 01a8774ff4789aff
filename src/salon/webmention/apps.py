from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebmentionConfig(AppConfig):
    name = "salon.webmention"
    label = "webmention"
    verbose_name = _("Webmention")

    def ready(self):
        from . import signals

        signals.connect()
