from django.core.checks import Error, register

from .icon import IMAGE_TYPES, configured_icon


@register()
def check_site_icon(app_configs, **kwargs):
    """SALON_SITE_ICON, when it names a file, names a readable image."""
    kind, value = configured_icon()
    if kind != "file":
        return []
    if not value.is_file():
        return [Error(f"SALON_SITE_ICON names no file: {value}.", id="salon.E010")]
    if value.suffix.lower() not in IMAGE_TYPES:
        return [Error(
            f"SALON_SITE_ICON is not an image Salon can serve: {value}.",
            hint="Use an .ico, .png, .svg, .gif, .jpg or .webp file.",
            id="salon.E011",
        )]
    return []
