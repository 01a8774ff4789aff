"""Webmention in the admin.

The post's change page gets a read-only panel of its deliveries (per link: sent or not, what the
receiver answered) and of its reply context, without editing ``blog/admin.py``: the post admin
registered by the blog (or by any app before this one) is subclassed with two read-only
fields, an "In reply to" field set and two actions, then registered again in its place.
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from salon.blog.models import Post

from .models import DeletedPost, ReceivedWebmention, ReplyContext, SentWebmention


@admin.action(description=_("Send Webmentions now"))
def send_webmentions_now(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.values_list("pk", flat=True))
    for post_id in ids:
        tasks.schedule_send(post_id, force=True)
    modeladmin.message_user(
        request,
        ngettext("Webmentions of %(count)d post will be sent.",
                 "Webmentions of %(count)d posts will be sent.", len(ids)) % {"count": len(ids)},
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
        ngettext("The context of %(count)d reply will be fetched.",
                 "The contexts of %(count)d replies will be fetched.", len(ids))
        % {"count": len(ids)},
        messages.SUCCESS,
    )


def webmentions_panel(post):
    """Per link of the post: was a Webmention sent, and what did the receiver answer."""
    rows = list(SentWebmention.objects.filter(post=post).order_by("-in_post", "target"))
    return render_to_string("webmention/admin/sent_panel.html", {"rows": rows})


def reply_context_panel(post):
    if not post.in_reply_to_url:
        return "—"
    context = ReplyContext.objects.filter(post=post).first()
    return render_to_string("webmention/admin/reply_context_panel.html", {"cite": context})


def _with_webmention(base):
    """A subclass of the registered post admin with the Webmention panels and actions.

    The panels are read-only fields (not inlines), so the change form posts exactly what it
    posted before: no formset, no management form.
    """

    class WebmentionPostAdmin(base):
        actions = [*(base.actions or []), send_webmentions_now, refresh_reply_context]

        def get_fieldsets(self, request, obj=None):
            fieldsets = list(super().get_fieldsets(request, obj))
            named = {f for _name, opts in fieldsets for f in opts.get("fields", [])}
            if "in_reply_to_url" not in named:
                fieldsets.insert(1, (_("Conversation"), {"fields": ["in_reply_to_url"]}))
            if obj is not None:
                fieldsets.append((_("Webmentions"), {
                    "fields": ["reply_context_panel", "webmentions_panel"],
                }))
            return fieldsets

        def get_readonly_fields(self, request, obj=None):
            fields = list(super().get_readonly_fields(request, obj))
            if obj is not None:
                fields += ["reply_context_panel", "webmentions_panel"]
            return fields

        @admin.display(description=_("In reply to (as read)"))
        def reply_context_panel(self, obj):
            return reply_context_panel(obj)

        @admin.display(description=_("Webmentions sent"))
        def webmentions_panel(self, obj):
            return webmentions_panel(obj)

    WebmentionPostAdmin.__name__ = f"Webmention{base.__name__}"
    WebmentionPostAdmin.__qualname__ = WebmentionPostAdmin.__name__
    WebmentionPostAdmin.__module__ = __name__
    return WebmentionPostAdmin


if admin.site.is_registered(Post):
    _current = type(admin.site._registry[Post])
    admin.site.unregister(Post)
    admin.site.register(Post, _with_webmention(_current))


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
    readonly_fields = ["post", "source", "target", "source_host", "token", "state", "reason",
                       "detail", "response", "ip_address", "received_at", "verified_at"]
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
    list_display = ["target", "source", "state", "status_code", "attempts", "last_attempt_at",
                    "next_attempt_at"]
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
