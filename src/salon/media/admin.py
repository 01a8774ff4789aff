from django import forms
from django.contrib import admin, messages
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from salon.blog.admin import PostAdminExtension

from . import tasks
from .models import Embed, Image

# Images pasted or dropped into a post's body in the admin are uploaded to the library
# (added by MediaConfig.ready() with salon.blog.admin.extend_post_admin).
post_admin_extension = PostAdminExtension(
    media=forms.Media(js=["media/paste-upload.js"]),
    body_attrs={"data-media-upload-url": reverse_lazy("media:upload")},
)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "original_name", "alt_text", "credit", "licence", "created_at"]
    search_fields = ["original_name", "alt_text", "credit"]
    readonly_fields = ["thumbnail", "key", "original", "width", "height", "details"]
    fields = [
        "thumbnail",
        "details",
        "alt_text",
        "credit",
        "source_url",
        "licence",
        "licence_text",
        "licence_url",
        "key",
        "original",
        "width",
        "height",
    ]

    def has_add_permission(self, request):
        return False  # images arrive through the upload (the library page, the writing page)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tasks.rerender_uses_later(obj.pk)  # the posts showing it get the new caption

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html(
            # A width attribute, not a style one: the CSP allows no inline style.
            '<img src="{}" alt="{}" width="160">',
            image.thumbnail_url,
            image.alt_text,
        )

    @admin.display(description=_("library page"))
    def details(self, image):
        return format_html('<a href="{}">{}</a>', reverse("media:edit", args=[image.pk]), image)


@admin.action(description=_("Look them up again"))
def look_up_again(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))
    queryset.update(state=Embed.State.PENDING, attempts=0, next_attempt_at=None, error="")
    tasks.discover_later(ids)
    modeladmin.message_user(
        request, _("The embeds will be looked up again in the background."), messages.SUCCESS
    )


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    list_display = ["url", "state", "provider_name", "title", "fetched_at"]
    list_filter = ["state", "provider_name"]
    search_fields = ["url", "title"]
    readonly_fields = [f.name for f in Embed._meta.fields]
    actions = [look_up_again]

    def has_add_permission(self, request):
        return False  # rows are made by discovery, from the links written in posts
