"""Group writing challenges ("ten posts in ten days").

A challenge has a tag or hashtag, dates and participants. Each participant's blog is followed
through a ``Subscription`` (found by discovery from their blog address); their challenge posts
are the entries that carry the tag (as a category or as ``#hashtag`` in the text) and are dated
within the challenge. The author's own published posts with the tag take part the same way.
"""

import re
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from salon.blog.models import validate_content_language
from salon.blog.slugs import unique_slug

from ..problems import ErrorCode
from .feeds import Subscription


def normalize_tag(value):
    """``"#Back2Blog "`` -> ``"back2blog"``: hashtags and tags compare without ``#`` or case."""
    return (value or "").strip().lstrip("#").strip().casefold()


class Challenge(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=12,
        validators=[validate_content_language],
        help_text=_("The language of the name and description."),
    )
    description = models.TextField(_("description"), blank=True)
    tag = models.CharField(
        _("tag or hashtag"),
        max_length=100,
        help_text=_("Posts taking part carry this tag, or this #hashtag in their text."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    goal = models.PositiveIntegerField(
        _("goal"),
        null=True,
        blank=True,
        help_text=_("Posts each participant aims for, shown as “9/10”."),
    )
    author_takes_part = models.BooleanField(
        _("my own posts take part"),
        default=True,
        help_text=_("This blog's published posts with the tag count like a participant's."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("group challenge")
        verbose_name_plural = _("group challenges")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Challenge, self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reader:challenge", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot come before the first.")})
        if self.tag is not None and not normalize_tag(self.tag):
            raise ValidationError({"tag": _("Give a tag or a hashtag, such as #back2blog.")})

    @property
    def normalized_tag(self):
        return normalize_tag(self.tag)

    def window(self):
        """Aware datetimes [start, end) covering the challenge's days in the site's time zone."""
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.starts_on, time.min), tz)
        end = timezone.make_aware(datetime.combine(self.ends_on + timedelta(days=1), time.min), tz)
        return start, end

    def hashtag_pattern(self):
        return re.compile(
            r"(?<![\w#])#" + re.escape(self.normalized_tag) + r"(?![\w-])", re.IGNORECASE
        )

    def tag_matches(self, tags, *texts):
        """True when one of ``tags`` is the challenge's tag, or a text carries its #hashtag."""
        wanted = self.normalized_tag
        wanted_slug = slugify(wanted)
        for tag in tags:
            normalized = normalize_tag(tag)
            if normalized == wanted or (wanted_slug and slugify(normalized) == wanted_slug):
                return True
        pattern = self.hashtag_pattern()
        return any(text and pattern.search(text) for text in texts)

    @property
    def is_running(self):
        today = timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Participant(models.Model):
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("challenge"),
    )
    name = models.CharField(_("name"), max_length=200)
    blog_url = models.URLField(_("blog address"), max_length=1000)
    feed_url = models.URLField(
        _("feed address"),
        max_length=1000,
        blank=True,
        help_text=_("Found from the blog address when left empty."),
    )
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        editable=False,
    )
    discovery_error = models.CharField(
        _("feed problem"), max_length=12, choices=ErrorCode.choices, blank=True, editable=False
    )
    discovery_detail = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "blog_url"], name="one_participant_per_blog"
            ),
        ]

    def __str__(self):
        return self.name
