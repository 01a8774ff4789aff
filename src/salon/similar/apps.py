from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimilarConfig(AppConfig):
    name = "salon.similar"
    label = "similar"
    verbose_name = _("Similar posts")

    def ready(self):
        from . import receivers

        receivers.connect()
