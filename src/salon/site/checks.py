"""`salon check` (and every start) warns about site settings that would fail quietly."""

from django.conf import settings
from django.core import checks

from salon.core.priority import worker_niceness

from .icon import IMAGE_TYPES, configured_icon

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@checks.register()
def check_mail_configured(app_configs=None, **kwargs):
    """Mail left unconfigured goes to an SMTP server on localhost:25, which usually refuses:
    confirmation links and the author's notices would only fail in the log."""
    if settings.EMAIL_BACKEND == SMTP_BACKEND and not settings.SALON_MAIL_CONFIGURED:
        return [
            checks.Warning(
                "Mail is not configured: it would go to an SMTP server on localhost:25.",
                hint="Set SALON_EMAIL_HOST (and SALON_EMAIL_PORT, SALON_EMAIL_HOST_USER…) to send "
                "it, or SALON_EMAIL_BACKEND to another Django e-mail backend.",
                id="salon.W001",
            )
        ]
    return []


@checks.register()
def check_site_icon(app_configs, **kwargs):
    """SALON_SITE_ICON, when it names a file, names a readable image."""
    kind, value = configured_icon()
    if kind != "file":
        return []
    if not value.is_file():
        return [checks.Error(f"SALON_SITE_ICON names no file: {value}.", id="salon.E010")]
    if value.suffix.lower() not in IMAGE_TYPES:
        return [
            checks.Error(
                f"SALON_SITE_ICON is not an image Salon can serve: {value}.",
                hint="Use an .ico, .png, .svg, .gif, .jpg or .webp file.",
                id="salon.E011",
            )
        ]
    return []


@checks.register()
def check_worker_niceness(app_configs, **kwargs):
    if worker_niceness() is None:
        return [
            checks.Error(
                f"SALON_WORKER_NICE must be a whole number from 0 to 19, not "
                f"{settings.SALON_WORKER_NICE!r}.",
                hint="0 runs the worker at the web server's priority; the default, 19, lets "
                "readers' requests go first.",
                id="salon.E012",
            )
        ]
    return []
