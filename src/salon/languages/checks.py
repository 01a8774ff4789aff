from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.checks import Error, register


@register()
def check_content_languages(app_configs, **kwargs):
    """SALON_LANGUAGES must name languages Django knows, at least one, without repeats."""
    errors = []
    codes = settings.SALON_LANGUAGES
    if not codes:
        errors.append(Error("SALON_LANGUAGES is empty.", id="salon.E001"))
    for code in codes:
        if code not in LANG_INFO:
            errors.append(
                Error(
                    f"SALON_LANGUAGES names an unknown language code: {code!r}.",
                    hint="Use ISO 639-1 codes such as fr, en, de.",
                    id="salon.E002",
                )
            )
    if len(set(codes)) != len(codes):
        errors.append(Error("SALON_LANGUAGES repeats a language.", id="salon.E003"))
    return errors
