"""The writing page's form: a post's fields as the author types them, bound to the working
copy's data (strings, exactly as a browser posts them)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import languages, media
from salon.blog.admin import TranslationFormMixin
from salon.blog.models import Post, Series

TEXT_FIELDS = [
    "title",
    "slug",
    "language",
    "body",
    "source_name",
    "source_url",
    "canonical_to_source",
    "comments_open",
    "visibility",
    "password",
    "series",
    "series_position",
    "cover_image_url",
    "cover_alt",
    "cover_credit",
    "cover_licence",
    "cover_licence_url",
]
EXTRA_FIELDS = ["tags", "translation_of", "language_locked", "cover_from_library"]
SUMMARY_MAX = 300
TAG_MAX = 100


def summary_field(code):
    return f"summary_{code}"


def data_keys():
    """Every key of the working copy's data: what the form reads."""
    return TEXT_FIELDS + EXTRA_FIELDS + [summary_field(c) for c in languages.content_languages()]


def split_tags(text):
    """Tag names from "a, b, c", each once (whatever its case), in the order typed."""
    names = {}
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if name and name.casefold() not in names:
            names[name.casefold()] = name
    return list(names.values())


class EditorForm(TranslationFormMixin):
    """The post's fields, its summaries (one per other language), its tags as typed text.

    ``publishing`` adds what a public post needs (a title); a draft may be saved untitled."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas; new ones are created."),
    )
    language_locked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    cover_from_library = media.ImageChoiceField(
        help_text=_("Its description, credit and licence come with it.")
    )

    class Meta:
        model = Post
        fields = TEXT_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20}),
            "password": forms.TextInput(attrs={"autocomplete": "off"}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, publishing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        self.fields["title"].required = False
        # Markdown's trailing spaces are a line break: the body is kept exactly as typed.
        self.fields["body"].strip = False
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            choices=languages.language_choices(),
            initial=languages.content_languages()[0],
        )
        self.fields["series"].queryset = Series.objects.all()
        self.fields["translation_of"].queryset = self.fields["translation_of"].queryset.only(
            "title", "language"
        )
        for code in languages.content_languages():
            self.fields[summary_field(code)] = forms.CharField(
                label=_("Summary for readers of %(language)s")
                % {"language": languages.language_name(code)},
                required=False,
                max_length=SUMMARY_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
            )

    def clean_title(self):
        title = " ".join((self.cleaned_data.get("title") or "").split())
        if not title:
            if self.publishing:
                raise forms.ValidationError(_("Give the post a title before publishing it."))
            # A draft may wait for its title; the post keeps the one it has.
            return self.instance.title or str(_("Untitled"))
        return title

    def clean_tags(self):
        names = split_tags(self.cleaned_data.get("tags"))
        too_long = [name for name in names if len(name) > TAG_MAX]
        if too_long:
            raise forms.ValidationError(
                _("A tag has at most %(max)d characters: “%(tag)s…”.")
                % {"max": TAG_MAX, "tag": too_long[0][:30]}
            )
        return names

    def _post_clean(self):
        """After the model's own validation: a taken series position is said by its field,
        naming the post that holds it, rather than as the constraint's general message."""
        super()._post_clean()
        series = self.cleaned_data.get("series")
        position = self.cleaned_data.get("series_position")
        if not (series and position):
            return
        taken = (
            Post.objects.filter(series=series, series_position=position)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken is None:
            return
        general = self._errors.get(NON_FIELD_ERRORS)
        if general is not None:
            kept = [e for e in general.as_data() if e.code != "unique_together"]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept)
            else:
                del self._errors[NON_FIELD_ERRORS]
        self.add_error(
            "series_position",
            _("Position %(position)s of “%(series)s” is taken by “%(title)s”.")
            % {"position": position, "series": series.title, "title": taken.title},
        )

    def summaries(self):
        """``{code: text}`` for the languages other than the post's (empty: none)."""
        language = self.cleaned_data.get("language")
        return {
            code: " ".join(self.cleaned_data.get(summary_field(code), "").split())
            for code in languages.content_languages()
            if code != language
        }


def local_input(value):
    """A date for a ``datetime-local`` field, in the blog's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


class ScheduleForm(forms.Form):
    """When a scheduled post appears, read in the blog's time zone (``SALON_TIME_ZONE``)."""

    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise forms.ValidationError(
                _("This time has passed: choose a later one, or publish now.")
            )
        return when


class PreviewLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(1, _("one day")), (7, _("a week")), (30, _("a month"))],
        initial=7,
    )
