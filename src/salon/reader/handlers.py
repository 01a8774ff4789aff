"""Receivers connected in ``ReaderConfig.ready()``."""

from .models import Subscription


def participant_saved(sender, instance, raw=False, **kwargs):
    """A participant without a followed feed (or whose feed address changed) gets one, found
    by discovery in a task after the commit."""
    if raw:
        return
    if instance.subscription_id is not None:
        current = (
            Subscription.objects.filter(pk=instance.subscription_id)
            .values_list("feed_url", flat=True)
            .first()
        )
        if current and (not instance.feed_url or instance.feed_url == current):
            return
    from .tasks import link_later

    link_later(instance.pk)
