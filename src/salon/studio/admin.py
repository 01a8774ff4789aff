"""The writing page in the admin: a link from each post's page, and its own rows."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from salon.blog.admin import PostAdminExtension

from .models import PreviewLink


@admin.display(description=_("Writing page"))
def writing_page_link(post):
    return format_html(
        '<a href="{}">{}</a>', reverse("studio:edit", args=[post.pk]), _("Open in the writing page")
    )


post_admin_extension = PostAdminExtension(
    panels=(writing_page_link,), panels_title=_("Writing page")
)


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    list_display = ["post", "created_at", "expires_at", "revoked_at"]
    raw_id_fields = ["post"]
    readonly_fields = ["token", "created_at"]
