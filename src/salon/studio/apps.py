from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    name = "salon.studio"
    label = "studio"
    verbose_name = _("Writing page")

    def ready(self):
        from salon.blog.admin import extend_post_admin

        from . import checks, images, receivers, revisions
        from .admin import post_admin_extension

        revisions.register()
        receivers.connect()
        checks.register_publish_check(images.images_have_alt_text)
        # "Open in the writing page" on the post's admin page.
        extend_post_admin(post_admin_extension)
