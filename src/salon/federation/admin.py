"""Federation in the admin: followers (with their server; removing one tells it), blocks (with
the import of a Mastodon domain block list), mentions that reply to nothing here, and the
activities received and sent with their deliveries, for diagnosis."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import blocklist, tasks
from .models import Activity, Block, BlockKind, Delivery, Follower, Mention, ReceivedActivity


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["handle", "name", "server", "created_at"]
    list_filter = ["actor__domain"]
    search_fields = ["actor__username", "actor__name", "actor__url", "actor__domain"]
    list_select_related = ["actor"]
    readonly_fields = ["actor", "follow_id", "created_at"]
    actions = ["remove_followers"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # removing goes through the action, which tells the follower's server

    @admin.display(description=_("handle"), ordering="actor__username")
    def handle(self, follower):
        return follower.actor.handle or follower.actor.url

    @admin.display(description=_("name"), ordering="actor__name")
    def name(self, follower):
        return follower.actor.name

    @admin.display(description=_("server"), ordering="actor__domain")
    def server(self, follower):
        return follower.actor.domain

    @admin.action(description=_("Remove the selected followers (their servers are told)"))
    def remove_followers(self, request, queryset):
        count = tasks.remove_followers(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d follower removed.", "%(count)d followers removed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class BlockListForm(forms.Form):
    file = forms.FileField(
        label=_("Domain block list (CSV)"),
        help_text=_("Mastodon's export format: #domain,#severity,… or one domain a line."),
    )


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "reason", "created_at"]
    fields = ["kind", "value", "reason"]
    list_filter = ["kind"]
    search_fields = ["value", "reason"]
    change_list_template = "federation/admin/block_changelist.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.kind == BlockKind.ACTOR:
            followers = Follower.objects.filter(actor__url=obj.value)
        else:
            followers = Follower.objects.filter(
                Q(actor__domain=obj.value) | Q(actor__domain__endswith="." + obj.value)
            )
        tasks.remove_followers(list(followers.values_list("pk", flat=True)))

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="federation_block_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        form = BlockListForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                report = blocklist.import_blocks(text)
                self.message_user(
                    request,
                    _(
                        "%(added)d servers blocked, %(already)d already blocked, %(skipped)d left out (noop)."
                    )
                    % {"added": report.added, "already": report.already, "skipped": report.skipped},
                    messages.SUCCESS,
                )
                for error in report.errors[:20]:
                    self.message_user(request, error, messages.WARNING)
                return redirect(reverse("admin:federation_block_changelist"))
        context = dict(
            self.admin_site.each_context(request),
            form=form,
            title=_("Import a domain block list"),
            opts=self.model._meta,
        )
        return render(request, "federation/admin/block_import.html", context)


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["actor", "received_at", "language", "url"]
    readonly_fields = ["actor", "ap_id", "url", "content_html", "language", "received_at"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False


@admin.register(ReceivedActivity)
class ReceivedActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "actor_url", "state", "detail", "received_at"]
    list_filter = ["state", "kind"]
    readonly_fields = ["ap_id", "kind", "actor_url", "payload", "state", "detail", "received_at"]

    def has_add_permission(self, request):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["inbox", "state", "attempts", "status_code", "next_attempt_at", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "uid", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["uid", "kind", "payload", "created_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False
