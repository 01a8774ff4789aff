from dataclasses import dataclass, field

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.decorators import staff_member_required
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from salon import languages

from .models import Page, PageSummary, Post, PostSummary, Redirect, Series, Tag
from .rendering import render_body


class LanguageSelectMixin:
    """Language fields become a choice among the configured languages."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=languages.language_choices(),
                help_text=db_field.help_text,
                initial=languages.content_languages()[0],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SummaryForm(forms.ModelForm):
    def has_changed(self):
        """A new row left without text is an unused row, whatever language it shows: the
        language it proposes follows the text's, which the author may have just changed."""
        if self.instance.pk is None and not (self["text"].value() or "").strip():
            return False
        return super().has_changed()


class SummaryFormSet(BaseInlineFormSet):
    """New summary rows propose, in the configured order, the languages the text is not
    written in and has no summary in yet: a summary in the text's own language is refused, so
    the other language is the only useful choice. A new text's language field proposes the
    first configured language, so its rows start at the second."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial_extra is None:
            configured = languages.content_languages()
            taken = {self.instance.language or configured[0]}
            taken.update(summary.language for summary in self.get_queryset())
            self.initial_extra = [{"language": code} for code in configured if code not in taken]


class PostSummaryInline(LanguageSelectMixin, admin.TabularInline):
    model = PostSummary
    form = SummaryForm
    formset = SummaryFormSet
    extra = 1
    formfield_overrides = {}

    def get_extra(self, request, obj=None, **kwargs):
        return max(
            len(languages.content_languages()) - 1 - (obj.summaries.count() if obj else 0), 0
        )


class PageSummaryInline(PostSummaryInline):
    model = PageSummary


class TranslationFormMixin(forms.ModelForm):
    """An extra field that links a text to its translation by sharing the translation key."""

    translation_of = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Translation of"),
        help_text=_("The same text in another language; both will link to each other."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        queryset = (
            model.objects.order_by("-published_at")
            if hasattr(model, "published_at")
            else model.objects.all()
        )
        if self.instance.pk:
            queryset = queryset.exclude(pk=self.instance.pk)
            current = (
                model.objects.filter(translation_key=self.instance.translation_key)
                .exclude(pk=self.instance.pk)
                .first()
            )
            self.fields["translation_of"].initial = current
        self.fields["translation_of"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        other = cleaned.get("translation_of")
        language = cleaned.get("language")
        if other and language:
            if other.language == language:
                self.add_error(
                    "translation_of", _("A translation must be in another language than this text.")
                )
            else:
                clash = self._meta.model.objects.filter(
                    translation_key=other.translation_key, language=language
                ).exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error(
                        "translation_of",
                        _("“%(title)s” already has a translation in this language: %(existing)s.")
                        % {"title": other.title, "existing": clash.first().title},
                    )
        return cleaned

    def save(self, commit=True):
        other = self.cleaned_data.get("translation_of")
        if other:
            self.instance.translation_key = other.translation_key
        elif self.instance.pk and "translation_of" in self.changed_data:
            import uuid

            self.instance.translation_key = uuid.uuid4()
        return super().save(commit=commit)


class PostForm(TranslationFormMixin):
    class Meta:
        model = Post
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose what is shown)


class PageForm(TranslationFormMixin):
    class Meta:
        model = Page
        fields = "__all__"  # noqa: DJ007 (the admin's fields choose what is shown)


class MarkdownPreviewMixin:
    """A "Preview" button beside the body field, rendered by the same code as the site."""

    change_form_template = "admin/blog/change_form_with_preview.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "preview/",
                self.admin_site.admin_view(markdown_preview),
                name="{}_{}_preview".format(*info),
            ),
        ] + super().get_urls()


@require_POST
@staff_member_required
def markdown_preview(request):
    return JsonResponse(
        {
            "html": render_body(
                request.POST.get("body", ""), request.POST.get("body_format", "markdown")
            )
        }
    )


# The post admin's extension point -----------------------------------------------------------
#
# Other apps add to the post's change page here, from their AppConfig.ready(), instead of
# replacing the registered admin: webmention adds "In reply to" (Post.in_reply_to_url), the
# panels of its deliveries and reply context, and two actions. Everything the page shows is
# thus listed in this module or in a PostAdminExtension named in some app's ready().


@dataclass(frozen=True)
class PostAdminExtension:
    """What one app adds to the post's change page and list.

    - ``fieldsets``: field sets of editable ``Post`` fields, ``(title, {"fields": [...]})``,
      shown after the first one (fields already shown elsewhere are left out);
    - ``panels``: read-only panels of a saved post, callables ``panel(post) -> HTML`` (labelled
      with ``@admin.display(description=…)``), shown together in a field set ``panels_title``;
    - ``actions``: admin actions added to the list's;
    - ``media``: a ``forms.Media`` of scripts and styles the change page loads;
    - ``body_attrs``: attributes given to the body's textarea (lazy values are fine).

    Panels are read-only fields, not inlines: the change form posts exactly what it posted
    before (no formset, no management form).
    """

    fieldsets: tuple = ()
    panels: tuple = ()
    panels_title: str = ""
    actions: tuple = field(default=())
    media: forms.Media | None = None
    body_attrs: dict = field(default_factory=dict, hash=False, compare=False)


post_admin_extensions = []


def extend_post_admin(extension):
    """Add ``extension`` (a ``PostAdminExtension``) to the post admin; call it from
    ``AppConfig.ready()``. Adding the same extension twice adds it once."""
    if extension not in post_admin_extensions:
        post_admin_extensions.append(extension)


class PostAdminExtensionsMixin:
    """Shows what the registered ``PostAdminExtension`` objects add."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        for extension in post_admin_extensions:
            for title, options in extension.fieldsets:
                shown = {name for _title, opts in fieldsets for name in opts.get("fields", [])}
                fields = [name for name in options["fields"] if name not in shown]
                if fields:
                    fieldsets.insert(1, (title, {**options, "fields": fields}))
            if obj is not None and extension.panels:
                fieldsets.append((extension.panels_title, {"fields": list(extension.panels)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            for extension in post_admin_extensions:
                fields += extension.panels
        return fields

    @property
    def media(self):
        media = super().media
        for extension in post_admin_extensions:
            if extension.media is not None:
                media += extension.media
        return media

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and formfield is not None:
            for extension in post_admin_extensions:
                formfield.widget.attrs.update(extension.body_attrs)
        return formfield

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for extension in post_admin_extensions:
            for action in extension.actions:
                function, name, description = self.get_action(action)
                actions[name] = (function, name, description)
        return actions


@admin.register(Post)
class PostAdmin(
    PostAdminExtensionsMixin, MarkdownPreviewMixin, LanguageSelectMixin, admin.ModelAdmin
):
    form = PostForm
    inlines = [PostSummaryInline]
    list_display = ["title", "language", "status", "visibility", "published_at", "series", "sticky"]
    list_filter = ["status", "visibility", "language", "tags", "series"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "body_format", "body"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "visibility",
                    "password",
                    "sticky",
                    "comments_open",
                ]
            },
        ),
        (_("Tags and series"), {"fields": ["tags", "series", "series_position"]}),
        (
            _("Translation and republication"),
            {
                "fields": ["translation_of", "source_name", "source_url", "canonical_to_source"],
            },
        ),
        (
            _("Cover image"),
            {
                "classes": ["collapse"],
                "fields": [
                    "cover_image",
                    "cover_image_url",
                    "cover_alt",
                    "cover_credit",
                    "cover_licence",
                    "cover_licence_url",
                ],
            },
        ),
    ]


@admin.register(Page)
class PageAdmin(MarkdownPreviewMixin, LanguageSelectMixin, admin.ModelAdmin):
    form = PageForm
    inlines = [PageSummaryInline]
    list_display = ["title", "language", "status", "parent", "show_in_menu", "menu_order"]
    list_filter = ["status", "language"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "language",
        "body_format",
        "body",
        "status",
        "published_at",
        "parent",
        "show_in_menu",
        "menu_order",
        "translation_of",
    ]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "planned_length"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "post", "page", "new_path"]
    search_fields = ["old_path"]
    raw_id_fields = ["post", "page"]
