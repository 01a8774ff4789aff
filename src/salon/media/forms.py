from django import forms
from django.utils.translation import gettext_lazy as _

from .licences import OTHER
from .models import Image


class ImageForm(forms.ModelForm):
    """What the author says about an image: description, credit, source, licence."""

    class Meta:
        model = Image
        fields = ["alt_text", "credit", "source_url", "licence", "licence_text", "licence_url"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:  # the page prints it under the field with this id
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("licence") == OTHER and not cleaned.get("licence_text", "").strip():
            self.add_error("licence_text", _("Name the licence, or choose one from the list."))
        if cleaned.get("licence") != OTHER:
            cleaned["licence_text"] = ""
            cleaned["licence_url"] = ""
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Image"))
    alt_text = forms.CharField(label=_("Description (alt text)"), max_length=500, required=False)


class ImageChoiceField(forms.ModelChoiceField):
    """A library image, named by its file and description (the cover on the writing page:
    ``salon.media.set_cover(post, form.cleaned_data["cover"])``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Image.objects.all())
        kwargs.setdefault("label", _("Cover from the library"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, image):
        return f"{image} — {image.alt_text}" if image.alt_text else str(image)
