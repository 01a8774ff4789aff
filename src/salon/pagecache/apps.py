from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "salon.pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from salon.core import fragments

        from . import (
            receivers,  # noqa: F401 - connects the purge to the content's signals
            store,
        )

        # Fragments of pages (post cards, similar lists, responses) go stale with the pages,
        # when every process reads the generation (else each is rendered every time).
        if settings.SALON_CACHE_SHARED:
            fragments.use_generation(
                lambda: (store.generation(), store.settings_fingerprint()), store.next_publication
            )
