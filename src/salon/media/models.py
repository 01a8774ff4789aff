"""The media library (images and their renditions) and the embeds found for lone links."""

import posixpath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salon import outbox

from .licences import licence_choices, licence_of


def media_url(name):
    """The public address (path) of a file stored under MEDIA_ROOT by its relative name."""
    base = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL
    return base.rstrip("/") + "/" + name


class Image(models.Model):
    """An image of the library: a cleaned full-size copy (``original``, orientation applied,
    metadata stripped) and its renditions, all in the folder ``images/<key>/``."""

    key = models.CharField(max_length=32, unique=True, editable=False)
    original = models.CharField(_("original file"), max_length=200, editable=False)
    original_name = models.CharField(_("uploaded as"), max_length=255, blank=True)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    # [{"width": 480, "height": 320, "format": "webp", "name": "images/<key>/w480.webp"}, ...]
    renditions = models.JSONField(default=list, editable=False)
    alt_text = models.CharField(
        _("description (alt text)"),
        max_length=500,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    credit = models.CharField(
        _("credit"), max_length=300, blank=True, help_text=_("Who made it: “Photo: Jane Doe”.")
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=20, blank=True, choices=licence_choices())
    licence_text = models.CharField(
        _("other licence"),
        max_length=200,
        blank=True,
        help_text=_("When the licence is not in the list: its name (“All rights reserved”)."),
    )
    licence_url = models.URLField(_("other licence's URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.original_name or self.key

    @property
    def folder(self):
        return posixpath.dirname(self.original)

    @property
    def url(self):
        return media_url(self.original)

    @property
    def licence_name_and_url(self):
        return licence_of(self.licence, self.licence_text, self.licence_url)

    def renditions_in(self, fmt):
        return sorted((r for r in self.renditions if r["format"] == fmt), key=lambda r: r["width"])

    @property
    def fallback_format(self):
        """JPEG, or PNG for an image with transparency (JPEG has none)."""
        return "png" if any(r["format"] == "png" for r in self.renditions) else "jpeg"

    @property
    def thumbnail_url(self):
        smallest = self.renditions_in(self.fallback_format)
        return media_url(smallest[0]["name"]) if smallest else self.url

    def markdown(self, alt=None):
        """The Markdown that shows this image in a body (the library's address of it)."""
        alt = self.alt_text if alt is None else alt
        escaped = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{escaped}]({self.url})"


class EmbedQuerySet(outbox.DueQuerySet):
    waiting_states = ["pending", "retry"]
    next_attempt_field = "next_attempt_at"
    unscheduled_is_due = True


class Embed(models.Model):
    """What oEmbed discovery found for a link written alone on a line of a body."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not looked up yet")
        RETRY = "retry", _("Failed, will try again")
        FOUND = "found", _("Found")
        NONE = "none", _("Nothing to embed")
        FAILED = "failed", _("Failed")

    url = models.URLField(_("address"), max_length=1000, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    kind = models.CharField(_("kind"), max_length=10, blank=True)  # oEmbed type
    title = models.CharField(_("title"), max_length=500, blank=True)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    provider_name = models.CharField(_("provider"), max_length=200, blank=True)
    provider_url = models.URLField(_("provider's address"), max_length=500, blank=True)
    # The player's address, read from the provider's HTML (https only, on the provider's host);
    # the iframe itself is built by Salon.
    iframe_src = models.URLField(_("player address"), max_length=1000, blank=True)
    iframe_width = models.PositiveIntegerField(null=True, blank=True)
    iframe_height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.CharField(_("thumbnail file"), max_length=200, blank=True)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmbedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("embed")
        verbose_name_plural = _("embeds")

    def __str__(self):
        return self.url

    @property
    def thumbnail_url(self):
        return media_url(self.thumbnail) if self.thumbnail else ""
