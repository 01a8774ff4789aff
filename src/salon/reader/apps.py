from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ReaderConfig(AppConfig):
    """Feeds in: followed sites, their refresh, the reader page, group challenges."""

    name = "salon.reader"
    label = "reader"
    verbose_name = _("Reader and challenges")

    def ready(self):
        from .handlers import participant_saved
        from .models import Participant

        post_save.connect(
            participant_saved, sender=Participant, dispatch_uid="reader_participant_saved"
        )
