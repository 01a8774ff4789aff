"""The writing page's own rows: the working copy of each post, and secret preview links.

The working copy (``Draft``) is what makes "nothing typed is lost" hold: every autosave writes
the fields exactly as typed, whatever their validity, with a version number that two tabs
cannot both move from the same value. A post that is still a draft also gets the typed fields
applied when they are valid; a public post changes only when the author updates it.
"""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon.blog.models import Post


class Draft(models.Model):
    """The fields of one post as the author last typed them on the writing page."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, related_name="studio_draft", verbose_name=_("post")
    )
    data = models.JSONField(default=dict)
    # Moves by one at each save; a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    saved_at = models.DateTimeField(default=timezone.now)
    # The post holds exactly these fields (nothing waits to be applied).
    applied = models.BooleanField(default=True)
    # The post's updated_at when these fields were last read from it or applied to it: a post
    # changed since (in the admin, by the scheduler) is not overwritten without the author's say.
    post_updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")

    def __str__(self):
        return f"{self.post_id} v{self.version}"


def new_token():
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A secret address that shows a post, draft included, to whoever holds it, until it
    expires or the author revokes it."""

    LIFETIMES = {1: timedelta(days=1), 7: timedelta(days=7), 30: timedelta(days=30)}

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("post")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.post_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
