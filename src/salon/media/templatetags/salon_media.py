"""``{% media_assets %}`` in every page's head: the figures' and embeds' styles and the script
that loads an embed's player when the reader asks (nothing inline: CSP-friendly).
``{% paste_upload_script %}``: the script of a page whose textareas take pasted images."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def media_assets():
    return format_html(
        '<link rel="stylesheet" href="{}">\n  <script src="{}" defer></script>',
        static("media/media.css"),
        static("media/embed.js"),
    )


@register.simple_tag
def paste_upload_script():
    return format_html('<script src="{}" defer></script>', static("media/paste-upload.js"))
