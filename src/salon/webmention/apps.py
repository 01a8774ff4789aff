from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebmentionConfig(AppConfig):
    name = "salon.webmention"
    label = "webmention"
    verbose_name = _("Webmention")

    def ready(self):
        from salon.blog.admin import extend_post_admin

        from . import signals
        from .admin import post_admin_extension

        signals.connect()
        # "In reply to", the Webmention panels and actions on the post's admin page.
        extend_post_admin(post_admin_extension)
