from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from salon.core import csp


class MediaConfig(AppConfig):
    name = "salon.media"
    label = "media"
    verbose_name = _("Media library")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from salon.blog import rendering
        from salon.blog.admin import extend_post_admin

        from . import embeds, receivers, render
        from .admin import post_admin_extension
        from .models import Embed

        receivers.connect()
        extend_post_admin(post_admin_extension)  # paste images into the admin's body
        # Library images become figures and lone links embeds, in every Markdown body; feeds
        # carry embeds as plain links.
        rendering.register_markdown_plugin(render.plugin)
        rendering.register_feed_filter(render.feed_filter)
        # The CSP lets frames in from the players of found embeds only, on pages showing one
        # (salon.core.csp); a found or removed embed makes the list be read again.
        csp.allow_frames_from_source(embeds.frame_origins, marker=b"data-embed-src")
        for signal in (post_save, post_delete):
            signal.connect(
                _frames_changed, sender=Embed, dispatch_uid=f"salon.media.frames.{signal}"
            )


def _frames_changed(sender, **kwargs):
    csp.frame_origins_changed()
