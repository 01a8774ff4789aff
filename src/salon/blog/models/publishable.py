"""What posts and pages share: a language, a body rendered to HTML, a state and a date."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import languages

from ..rendering import HTML, MARKDOWN, render_body
from ..slugs import unique_slug


def validate_content_language(code):
    if not languages.is_content_language(code):
        raise ValidationError(
            _("%(code)s is not one of this blog's languages (%(configured)s)."),
            params={"code": code, "configured": ", ".join(languages.content_languages())},
            code="unknown_language",
        )


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class BodyFormat(models.TextChoices):
    MARKDOWN = MARKDOWN, _("Markdown")
    HTML = HTML, _("HTML (imported)")


# What readers may see once its date has come.
PUBLIC_STATUSES = [Status.PUBLISHED, Status.SCHEDULED]


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Published posts, and scheduled ones whose time has come."""
        return self.filter(status__in=PUBLIC_STATUSES, published_at__lte=timezone.now())

    def listed(self):
        """What readers find in lists (rivers, feeds, search); for pages, every published one
        (posts narrow it by their visibility)."""
        return self.published()

    def in_language(self, code):
        return self.filter(language=code)

    def for_readers_of(self, code):
        """Each text once for a reader of ``code``: a text with a public translation in
        ``code`` is left out, since that translation stands for it (and links it). One
        correlated ``EXISTS`` on ``translation_key`` (indexed), so no query per text."""
        translated = self.model.objects.listed().filter(
            translation_key=models.OuterRef("translation_key"), language=code
        )
        return self.filter(models.Q(language=code) | ~models.Exists(translated))


class Publishable(models.Model):
    """What posts and pages share: a title in one language, a body, a state and a date."""

    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(
        _("language"),
        max_length=12,
        validators=[validate_content_language],
        help_text=_("The language this text is written in."),
    )
    body = models.TextField(_("body"), blank=True)
    body_format = models.CharField(
        _("body format"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField(editable=False, blank=True)
    # Not indexed alone: SQLite's planner, without statistics, would take it for the river
    # and sort every public post (see Post.Meta.indexes).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A scheduled text appears on the site at this date."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    translation_key = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text=_("Shared by the translations of one text."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.title} [{self.language}]"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self):
        """Fill what derives from the rest: a slug from the title when there is none, and
        ``body_html`` rendered from the body in its format.

        ``save()`` calls it, and so do the importers, which write rows in bulk without
        ``save()`` (``salon.portability.writer``): a rule added here applies to imported texts
        too. It reads the database only when the slug is empty (the importers choose slugs
        themselves, from the old addresses)."""
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, instance_pk=self.pk)
        self.body_html = render_body(self.body, self.body_format, self.language)

    def clean(self):
        super().clean()
        errors = {}
        if self.status == Status.SCHEDULED and not self.published_at:
            errors["published_at"] = _("A scheduled text needs a publication date.")
        if (
            self.status == Status.PUBLISHED
            and self.published_at
            and self.published_at > timezone.now() + timedelta(minutes=1)
        ):
            errors["status"] = _(
                "The publication date is in the future: choose “Scheduled” to publish it then."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return self.status != Status.DRAFT and self.published_at <= timezone.now()

    def get_translations(self):
        """The same text in the other languages, listed ones only (an unlisted translation is
        not revealed by the public version's links)."""
        return (
            type(self)
            .objects.listed()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .order_by("language")
        )

    def summary_in(self, code):
        """This text's summary in ``code``, from prefetched summaries when available."""
        for summary in self.summaries.all():
            if summary.language == code:
                return summary
        return None
