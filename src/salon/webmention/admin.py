"""Webmention in the admin.

The post's change page gets a read-only panel of its deliveries (per link: sent or not, what the
receiver answered) and of its reply context, an "In reply to" field set and two actions, through
the blog admin's extension point (``post_admin_extension`` below, added by
``WebmentionConfig.ready()`` with ``salon.blog.admin.extend_post_admin``).
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from salon.blog.admin import PostAdminExtension

from .models import DeletedPost, ReceivedWebmention, ReplyContext, SentWebmention


@admin.action(description=_("Send Webmentions now"))
def send_webmentions_now(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.values_list("pk", flat=True))
    for post_id in ids:
        tasks.schedule_send(post_id, force=True)
    modeladmin.message_user(
        request,
        ngettext(
            "Webmentions of %(count)d post will be sent.",
            "Webmentions of %(count)d posts will be sent.",
            len(ids),
        )
        % {"count": len(ids)},
        messages.SUCCESS,
    )


@admin.action(description=_("Fetch the reply context again"))
def refresh_reply_context(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.exclude(in_reply_to_url="").values_list("pk", flat=True))
    for post_id in ids:
        tasks.fetch_context_later(post_id)
    modeladmin.message_user(
        request,
        ngettext(
            "The context of %(count)d reply will be fetched.",
            "The contexts of %(count)d replies will be fetched.",
            len(ids),
        )
        % {"count": len(ids)},
        messages.SUCCESS,
    )


@admin.display(description=_("In reply to (as read)"))
def reply_context_panel(post):
    if not post.in_reply_to_url:
        return "—"
    context = ReplyContext.objects.filter(post=post).first()
    return render_to_string("webmention/admin/reply_context_panel.html", {"cite": context})


@admin.display(description=_("Webmentions sent"))
def webmentions_panel(post):
    """Per link of the post: was a Webmention sent, and what did the receiver answer."""
    rows = list(SentWebmention.objects.filter(post=post).order_by("-in_post", "target"))
    return render_to_string("webmention/admin/sent_panel.html", {"rows": rows})


# Added to the blog's post admin by WebmentionConfig.ready() (blog.admin.extend_post_admin).
post_admin_extension = PostAdminExtension(
    fieldsets=((_("Conversation"), {"fields": ["in_reply_to_url"]}),),
    panels=(reply_context_panel, webmentions_panel),
    panels_title=_("Webmentions"),
    actions=(send_webmentions_now, refresh_reply_context),
)


@admin.action(description=_("Verify again"))
def verify_again(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.values_list("pk", flat=True))
    for row_id in ids:
        tasks.verify_later(row_id)
    modeladmin.message_user(request, _("Verification enqueued."), messages.SUCCESS)


@admin.register(ReceivedWebmention)
class ReceivedWebmentionAdmin(admin.ModelAdmin):
    list_display = ["source", "post", "state", "reason", "received_at", "verified_at"]
    list_filter = ["state", "reason"]
    search_fields = ["source", "target", "source_host"]
    raw_id_fields = ["post", "response"]
    readonly_fields = [
        "post",
        "source",
        "target",
        "source_host",
        "token",
        "state",
        "reason",
        "detail",
        "response",
        "ip_address",
        "received_at",
        "verified_at",
    ]
    actions = [verify_again]

    def has_add_permission(self, request):
        return False


@admin.action(description=_("Try again now"))
def retry_now(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.values_list("pk", flat=True))
    queryset.update(state="retrying", attempts=0, next_attempt_at=None)
    tasks.deliver_later(ids)
    modeladmin.message_user(request, _("Deliveries enqueued."), messages.SUCCESS)


@admin.register(SentWebmention)
class SentWebmentionAdmin(admin.ModelAdmin):
    list_display = [
        "target",
        "source",
        "state",
        "status_code",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["state", "in_post"]
    search_fields = ["target", "source"]
    readonly_fields = [f.name for f in SentWebmention._meta.fields if f.name != "id"]
    actions = [retry_now]

    def has_add_permission(self, request):
        return False


@admin.register(DeletedPost)
class DeletedPostAdmin(admin.ModelAdmin):
    """Deleting a row here lets the address answer 404 again instead of 410."""

    list_display = ["path", "title", "deleted_at"]
    search_fields = ["path", "title"]
    readonly_fields = ["path", "title", "language", "deleted_at"]

    def has_add_permission(self, request):
        return False
