"""Summaries: short texts in the *other* languages, the bridge between readers of each."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .page import Page
from .post import Post
from .publishable import validate_content_language


class Summary(models.Model):
    """A one-line summary of a text in another language than the text's own."""

    language = models.CharField(
        _("language"), max_length=12, validators=[validate_content_language]
    )
    text = models.TextField(_("summary"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"[{self.language}] {self.text[:60]}"

    def clean(self):
        super().clean()
        parent = getattr(self, self.parent_field, None)
        if parent is not None and parent.language == self.language:
            raise ValidationError(
                {"language": _("A summary is for readers of another language than the text's.")}
            )


class PostSummary(Summary):
    parent_field = "post"
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="summaries")

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries in other languages")
        constraints = [
            models.UniqueConstraint(fields=["post", "language"], name="one_summary_per_language")
        ]


class PageSummary(Summary):
    parent_field = "page"
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="summaries")

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_page_summary_per_language"
            )
        ]
