from django import forms
from django.utils.translation import gettext_lazy as _

from salon import languages

from .query import MAX_QUERY_CHARS


class QueryField(forms.CharField):
    """A query as typed: control characters (NUL included) become spaces instead of failing
    validation, and an overlong query is cut rather than refused (the search says so)."""

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(ch if ch.isprintable() else " " for ch in value[: MAX_QUERY_CHARS * 2])
        return value.strip()


class SearchForm(forms.Form):
    """The search page's form. An invalid filter is reported and left out of the search,
    never a reason to refuse the whole search."""

    q = QueryField(label=_("Search for"), required=False)
    lang = forms.ChoiceField(label=_("Language"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, tags=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = [("", _("All languages")), *languages.language_choices()]
        self.fields["tag"].choices = [("", _("All tags")), *tags]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        self.fields["lang"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not one of this blog's languages: searching all of them."
        )
        self.fields["tag"].error_messages["invalid_choice"] = _(
            "There is no tag “%(value)s”: searching all tags."
        )
        self.fields["year"].error_messages["invalid_choice"] = _(
            "No post was published in “%(value)s”: searching all years."
        )

    def value(self, name, default=None):
        """A field's cleaned value, or ``default`` when it was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default
