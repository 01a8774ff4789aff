"""What the desk reads from the author: the filters, a moderation action, an answer."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salon import languages

from .. import conf
from . import listing

ACTIONS = (
    ("approve", _("Approve")),
    ("hold", _("Hold")),
    ("spam", _("Spam")),
    ("delete", _("Delete")),
)


def safe_next(request, value, default):
    """Where to go back after a POST: a path of this site on the desk, else ``default``."""
    value = value or ""
    if value.startswith("/desk/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


class FilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (listing.SHOW_WAITING, _("Waiting")),
            (listing.SHOW_ALL, pgettext_lazy("responses", "All")),
            (listing.SHOW_SPAM, _("Spam")),
        ],
    )
    post = forms.IntegerField(label=_("Post"), required=False, min_value=1)
    door = forms.ChoiceField(label=_("Door"), required=False)
    focus = forms.IntegerField(required=False, min_value=1)
    do = forms.ChoiceField(required=False, choices=ACTIONS[:3])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["door"].choices = [("", _("Every door")), *listing.doors()]

    def value(self, name, default=None):
        """The cleaned value of a filter; a malformed one is ignored (Django leaves it out of
        ``cleaned_data``), so a wrong address still opens the desk."""
        if not self.is_bound:
            return default
        if name in self.cleaned_data:
            return self.cleaned_data[name] or default
        return default


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the answer before publishing it.")},
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, prefix_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Recognise it")),
            *languages.language_choices(),
        ]
        self.fields["text"].widget.attrs["maxlength"] = conf.max_length()
        if prefix_id is not None:
            self.auto_id = f"answer-{prefix_id}-%s"

    def clean_text(self):
        value = self.cleaned_data["text"]
        if len(value) > conf.max_length():
            raise forms.ValidationError(
                _("The answer is too long: %(length)s characters for at most %(limit)s."),
                code="too_long",
                params={"length": len(value), "limit": conf.max_length()},
            )
        return value
