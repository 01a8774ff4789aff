from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "salon.media"
    label = "media"
    verbose_name = _("Media library")

    def ready(self):
        from salon.blog import rendering
        from salon.blog.admin import extend_post_admin
        from salon.core import csp

        from . import embeds, receivers, render
        from .admin import post_admin_extension

        receivers.connect()
        extend_post_admin(post_admin_extension)  # paste images into the admin's body
        # Library images become figures and lone links embeds, in every Markdown body; feeds
        # carry embeds as plain links.
        rendering.register_markdown_plugin(render.plugin)
        rendering.register_feed_filter(render.feed_filter)
        # The CSP lets frames in from the players of checked embeds only (salon.core.csp).
        csp.allow_frames_from_source(embeds.frame_origins)
