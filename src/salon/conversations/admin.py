"""Moderation in the admin: the queue of responses (approve, spam, hold, delete), subscriptions
and the outbox of mail. Answering is the desk's (``/desk/``): the admin's "Add response" and
each response's "Answer" link lead there."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import MailState, OutgoingMail, Response, State, Subscriber, Subscription


def _bulk(modeladmin, request, queryset, function, message):
    count = 0
    for response in queryset.select_related("post"):
        function(response)
        count += 1
    modeladmin.message_user(request, message(count), messages.SUCCESS)


@admin.action(description=_("Approve the selected responses"))
def approve(modeladmin, request, queryset):
    _bulk(
        modeladmin,
        request,
        queryset,
        services.approve,
        lambda n: (
            ngettext("%(count)d response approved.", "%(count)d responses approved.", n)
            % {"count": n}
        ),
    )


@admin.action(description=_("Mark the selected responses as spam"))
def mark_spam(modeladmin, request, queryset):
    _bulk(
        modeladmin,
        request,
        queryset,
        services.mark_spam,
        lambda n: (
            ngettext("%(count)d response marked as spam.", "%(count)d responses marked as spam.", n)
            % {"count": n}
        ),
    )


@admin.action(description=_("Hold the selected responses for moderation"))
def hold(modeladmin, request, queryset):
    _bulk(
        modeladmin,
        request,
        queryset,
        services.hold,
        lambda n: (
            ngettext("%(count)d response held.", "%(count)d responses held.", n) % {"count": n}
        ),
    )


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author_name",
        "kind",
        "origin",
        "state",
        "post",
        "created_at",
        "reply_link",
    ]
    list_filter = ["state", "kind", "origin", "language"]
    search_fields = ["author_name", "author_email", "author_url", "content", "source_url"]
    date_hierarchy = "created_at"
    list_select_related = ["post"]
    raw_id_fields = ["post", "parent"]
    actions = [approve, mark_spam, hold]
    readonly_fields = ["domain", "ip_address", "user_agent", "followups_sent_at", "created_at"]
    fieldsets = [
        (None, {"fields": ["post", "parent", "kind", "origin", "state"]}),
        (_("Author"), {"fields": ["author_name", "author_email", "author_url", "author_photo"]}),
        (_("Content"), {"fields": ["content", "language", "source_url"]}),
        (
            _("Details"),
            {
                "classes": ["collapse"],
                "fields": ["domain", "ip_address", "user_agent", "followups_sent_at", "created_at"],
            },
        ),
    ]

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return Truncator(obj.content).chars(80)

    @admin.display(description=_("answer"))
    def reply_link(self, obj):
        if obj.kind not in ("comment", "reply") or obj.by_author or obj.state == State.SPAM:
            return ""
        url = reverse("conversations:desk_answer", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Answer on the desk"))

    def add_view(self, request, form_url="", extra_context=None):
        """The author answers on the desk (``services.answer``: signed with the public name,
        never the login name), so "Add response" leads there: to the answer form of the
        response given as ``parent``, else to the desk."""
        parent = request.GET.get("parent", "")
        if parent.isdigit() and Response.objects.filter(pk=parent).exists():
            return HttpResponseRedirect(reverse("conversations:desk_answer", args=[parent]))
        return HttpResponseRedirect(reverse("conversations:desk"))

    def save_model(self, request, obj, form, change):
        """State changes go through the moderation functions, so follow-ups go out."""
        wanted = obj.state
        previous = Response.objects.filter(pk=obj.pk).values_list("state", flat=True).first()
        obj.state = previous or wanted
        obj.save()
        if wanted != obj.state:
            services.moderate(obj, wanted)

    def delete_model(self, request, obj):
        services.delete(obj)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    raw_id_fields = ["post", "response"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "created_at"]
    search_fields = ["email"]
    inlines = [SubscriptionInline]


@admin.action(description=_("Send the selected messages again now"))
def retry_mail(modeladmin, request, queryset):
    from . import tasks

    ids = list(queryset.exclude(state=MailState.SENT).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=ids).update(
        state=MailState.QUEUED, next_attempt_at=timezone.now()
    )
    tasks.deliver_now(ids)
    modeladmin.message_user(
        request,
        ngettext("%(count)d message queued.", "%(count)d messages queued.", len(ids))
        % {"count": len(ids)},
    )


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "purpose", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["to", "subject"]
    actions = [retry_mail]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]

    def has_add_permission(self, request):
        return False
