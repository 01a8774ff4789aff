from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "salon.pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the purge to the content's signals
