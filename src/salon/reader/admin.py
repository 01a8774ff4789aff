from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from salon import languages

from .models import Challenge, Participant, Subscription, SubscriptionState


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "blog_url", "feed_url"]

    def save(self, commit=True):
        participant = super().save(commit=False)
        if (
            self.instance.pk
            and "blog_url" in self.changed_data
            and "feed_url" not in self.changed_data
        ):
            # A new blog: its feed is to be found again.
            participant.feed_url = ""
            participant.subscription = None
        if commit:
            participant.save()
        return participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    form = ParticipantForm
    extra = 3
    fields = ["name", "blog_url", "feed_url", "feed_status"]
    readonly_fields = ["feed_status"]

    @admin.display(description=_("feed"))
    def feed_status(self, participant):
        if participant.discovery_error:
            return format_html(
                '{} <span lang="en">{}</span>',
                participant.get_discovery_error_display(),
                participant.discovery_detail,
            )
        subscription = participant.subscription
        if subscription is None:
            return _("Looking for the feed…") if participant.pk else ""
        if subscription.last_error_code and subscription.state != SubscriptionState.OK:
            return format_html(
                "{} — {}",
                subscription.get_state_display(),
                subscription.get_last_error_code_display(),
            )
        return subscription.get_state_display()


class ChallengeForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"))

    class Meta:
        model = Challenge
        fields = [
            "name",
            "slug",
            "language",
            "description",
            "tag",
            "starts_on",
            "ends_on",
            "goal",
            "author_takes_part",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages.language_choices()
        self.fields["language"].initial = languages.content_languages()[0]
        self.fields["language"].help_text = Challenge._meta.get_field("language").help_text


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    form = ChallengeForm
    inlines = [ParticipantInline]
    list_display = ["name", "tag", "starts_on", "ends_on", "goal", "page_link"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ChallengeForm.Meta.fields

    @admin.display(description=_("page"))
    def page_link(self, challenge):
        return format_html(
            '<a href="{}">{}</a>', challenge.get_absolute_url(), challenge.get_absolute_url()
        )


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "display_title",
        "category",
        "feed_url",
        "state",
        "followed",
        "last_checked_at",
        "error_count",
        "last_error_code",
    ]
    list_filter = ["state", "followed", "kind", "category"]
    search_fields = ["title", "feed_url", "site_url", "category"]
    readonly_fields = [
        "kind",
        "language",
        "state",
        "created_at",
        "last_checked_at",
        "last_success_at",
        "error_count",
        "last_error_code",
        "last_error",
        "last_error_at",
        "moved_from",
        "moved_at",
    ]
    actions = ["check_now"]

    @admin.action(description=_("Check the selected feeds now"))
    def check_now(self, request, queryset):
        # Imported here: a task module imported while Django starts fixes the task backend
        # before the test settings can choose theirs.
        from .tasks import refresh_later

        ids = list(queryset.values_list("pk", flat=True))
        queryset.filter(state=SubscriptionState.GONE).update(
            state=SubscriptionState.NEW, error_count=0, next_check_at=timezone.now()
        )
        refresh_later(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d feed will be checked now.",
                "%(count)d feeds will be checked now.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )
