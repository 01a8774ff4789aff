"""`salon check` (and every start) refuses conversation settings that cannot work."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import conf


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, read in [("SALON_COMMENTS_MODERATION", conf.moderation_mode),
                       ("SALON_COMMENTS_RATE_LIMIT", conf.rate_limit)]:
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id=f"conversations.E00{len(errors) + 1}",
                                       obj=name))
    return errors
