"""What an import remembers: which WordPress item became which Salon row.

Re-importing the same file (or a newer export of the same blog) looks items up here by
``(source_site, wp_type, wp_id)`` and updates the rows they became, so nothing is duplicated.
Attachments have no Salon row of their own: their URL and a few fields are kept here, so
featured images and galleries can be resolved whatever order the file lists them in. A post's
comments are remembered in its row (``original["comments"]``: WordPress comment id -> response
id) rather than one row each: a comment is the importer's most frequent write, and one row fewer
per comment is a third of the import's time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from salon.blog.models import Page, Post


class WordPressType(models.TextChoices):
    POST = "post", _("Post")
    PAGE = "page", _("Page")
    ATTACHMENT = "attachment", _("Attachment")


class ImportedItem(models.Model):
    source_site = models.CharField(
        _("source site"),
        max_length=300,
        help_text=_("The WordPress blog the item came from (its base URL)."),
    )
    wp_type = models.CharField(_("WordPress type"), max_length=12, choices=WordPressType.choices)
    wp_id = models.BigIntegerField(_("WordPress ID"))
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    wp_parent = models.BigIntegerField(_("WordPress parent ID"), null=True, blank=True)
    url = models.URLField(_("original address"), max_length=1000, blank=True)
    original = models.JSONField(
        _("WordPress fields"),
        default=dict,
        blank=True,
        help_text=_("What Salon does not model but an export may want back (excerpt, author…)."),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source_site", "wp_type", "wp_id"], name="one_row_per_wordpress_item"
            )
        ]

    def __str__(self):
        return f"{self.source_site} {self.wp_type} {self.wp_id}"
