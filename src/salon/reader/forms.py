from django import forms
from django.utils.translation import gettext_lazy as _

from .opml import MAX_OPML_BYTES


class FollowForm(forms.Form):
    url = forms.URLField(
        label=_("Address of a site or a feed"),
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/", "size": 40}),
        error_messages={"invalid": _("Enter a web address, such as https://example.org/.")},
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(
                _("Salon follows web addresses only (http:// or https://)."), code="scheme"
            )
        return url


class OPMLImportForm(forms.Form):
    file = forms.FileField(
        label=_("OPML file"),
        help_text=_("The list of feeds exported by another reader (.opml or .xml)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(
                _("This file is too large for a list of feeds (more than %(size)s MB)."),
                params={"size": MAX_OPML_BYTES // (1024 * 1024)},
            )
        return upload
