"""`salon check` (and every start) refuses conversation settings that cannot work."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import conf


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name, read in [
        ("SALON_COMMENTS_MODERATION", conf.moderation_mode),
        ("SALON_COMMENTS_RATE_LIMIT", conf.rate_limit),
    ]:
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(
                checks.Error(str(error), id=f"conversations.E00{len(errors) + 1}", obj=name)
            )
    chosen = settings.SALON_AUTHOR_LANGUAGE
    spoken = [code for code, _name in settings.LANGUAGES]
    if chosen and chosen.strip().lower() not in spoken:
        errors.append(
            checks.Error(
                f"SALON_AUTHOR_LANGUAGE={chosen!r}: the interface speaks {', '.join(spoken)}.",
                id="conversations.E003",
                obj="SALON_AUTHOR_LANGUAGE",
            )
        )
    return errors
