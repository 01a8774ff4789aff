"""Posts, pages and what hangs off them: summaries, tags, series, translations, sources.

A post has exactly one language. Summaries are short texts in the *other* languages, the bridge
that lets a reader of one language follow a blog written mostly in another. Translations of one
text share a ``translation_key`` (one row per language).
"""

import uuid
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salon import languages

from .rendering import HTML, MARKDOWN, render_body
from .slugs import unique_slug


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

    def in_language(self, code):
        return self.filter(language=code)

    def for_readers_of(self, code):
        """Each text once for a reader of ``code``: a text with a public translation in
        ``code`` is left out, since that translation stands for it (and links it). One
        correlated ``EXISTS`` on ``translation_key`` (indexed), so no query per text."""
        translated = self.model.objects.published().filter(
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
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, instance_pk=self.pk)
        self.body_html = render_body(self.body, self.body_format)
        super().save(*args, **kwargs)

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
        """The same text in the other languages, public ones only."""
        return (
            type(self)
            .objects.published()
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


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, instance_pk=self.pk, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Series(models.Model):
    """Posts meant to be read in order, such as a writing challenge ("#back2blog, 9/10")."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    planned_length = models.PositiveIntegerField(
        _("planned number of posts"),
        null=True,
        blank=True,
        help_text=_("Shown as “9/10”. Leave empty to count the posts published so far."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Series, self.title, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:series", kwargs={"slug": self.slug})


class Post(Publishable):
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Made from the title when left empty, accents folded."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("series"),
    )
    series_position = models.PositiveIntegerField(
        _("position in the series"), null=True, blank=True
    )
    source_name = models.CharField(
        _("originally published in"),
        max_length=200,
        blank=True,
        help_text=_("For a republished column: the magazine or site it first appeared in."),
    )
    source_url = models.URLField(_("original's URL"), max_length=500, blank=True)
    canonical_to_source = models.BooleanField(
        _("point rel=canonical to the original"),
        default=False,
        help_text=_("Tell search engines the original is the reference version."),
    )
    cover_image = models.ImageField(_("cover image"), upload_to="covers/%Y/", blank=True)
    cover_image_url = models.URLField(
        _("cover image URL"),
        max_length=500,
        blank=True,
        help_text=_("An image kept where it is (imported posts), used when no file is uploaded."),
    )
    cover_alt = models.CharField(_("cover description (alt text)"), max_length=300, blank=True)
    cover_credit = models.CharField(_("cover credit"), max_length=300, blank=True)
    cover_licence = models.CharField(_("cover licence"), max_length=300, blank=True)
    cover_licence_url = models.URLField(_("cover licence URL"), max_length=500, blank=True)
    sticky = models.BooleanField(_("sticky"), default=False)
    comments_open = models.BooleanField(_("comments open"), default=True)
    password = models.CharField(
        _("password"),
        max_length=100,
        blank=True,
        help_text=_("Readers must type it to see the post (kept from WordPress)."),
    )
    in_reply_to_url = models.URLField(
        _("in reply to"),
        max_length=1000,
        blank=True,
        help_text=_("Makes this post a reply to someone else's post at this address."),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        # The river (newest first) is read by walking these indexes in order and stopping
        # after a page, checking the state on the way (nearly every post is public; the state
        # is in the index so the paginator's count reads nothing else). An index on (status,
        # published_at) cannot give that order across the two public states: every public
        # post was read and sorted for each page, 5 ms at 2,000 posts and growing with the
        # blog. A partial index on the public states would be smaller, but SQLite cannot use
        # one when the states arrive as bound parameters, as Django sends them.
        indexes = [
            models.Index(fields=["-published_at", "-id", "status"], name="post_river_idx"),
            models.Index(fields=["language", "-published_at", "-id", "status"],
                         name="post_lang_river_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_post_translation_per_language"
            ),
            models.UniqueConstraint(
                fields=["series", "series_position"], name="one_post_per_series_position"
            ),
        ]

    def get_absolute_url(self):
        local = timezone.localtime(self.published_at)
        return reverse(
            "blog:post",
            kwargs={
                "year": f"{local.year:04d}",
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.series_id and not self.series_position:
            errors["series_position"] = _("Give this post's position in its series.")
        if self.series_position and not self.series_id:
            errors["series"] = _("A position needs a series.")
        if self.canonical_to_source and not self.source_url:
            errors["source_url"] = _("Give the original's URL to point rel=canonical to it.")
        if self.source_url and not self.source_name:
            errors["source_name"] = _("Name the publication the original appeared in.")
        if errors:
            raise ValidationError(errors)

    @property
    def cover_url(self):
        if self.cover_image:
            return self.cover_image.url
        return self.cover_image_url

    @property
    def canonical_url(self):
        if self.canonical_to_source and self.source_url:
            return self.source_url
        return None

    def series_neighbours(self):
        """(previous, next) published posts of this post's series, by position."""
        if not self.series_id or self.series_position is None:
            return None, None
        siblings = Post.objects.published().filter(series_id=self.series_id)
        previous = (
            siblings.filter(series_position__lt=self.series_position)
            .order_by("-series_position")
            .first()
        )
        following = (
            siblings.filter(series_position__gt=self.series_position)
            .order_by("series_position")
            .first()
        )
        return previous, following

    def series_total(self):
        if not self.series_id:
            return None
        if self.series.planned_length:
            return self.series.planned_length
        return Post.objects.published().filter(series_id=self.series_id).count()


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


class Page(Publishable):
    """A standalone page (about, contact), at /<slug>/."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent page"),
    )
    show_in_menu = models.BooleanField(_("show in the menu"), default=True)
    menu_order = models.IntegerField(_("menu order"), default=0)

    class Meta:
        ordering = ["menu_order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_page_translation_per_language"
            )
        ]

    def get_absolute_url(self):
        return reverse("blog:page", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug:
            if languages.is_content_language(self.slug) or _url_is_taken(self.slug):
                raise ValidationError(
                    {
                        "slug": _("“%(slug)s” is already a Salon address; choose another slug.")
                        % {"slug": self.slug}
                    }
                )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A page cannot be its own parent.")})


def _url_is_taken(slug):
    """True when /<slug>/ answers with something other than a page, or is the first segment
    of other Salon addresses (/tag/…, /admin/…)."""
    try:
        if resolve(f"/{slug}/").view_name != "blog:page":
            return True
    except (Resolver404, NoReverseMatch):
        pass
    try:
        resolve(f"/{slug}/x/")
    except (Resolver404, NoReverseMatch):
        return False
    return True


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


class Redirect(models.Model):
    """An old address (a WordPress permalink, ``/?p=123``) that now lives elsewhere."""

    old_path = models.CharField(_("old path"), max_length=500, unique=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE)
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE)
    new_path = models.CharField(
        _("new path"),
        max_length=500,
        blank=True,
        help_text=_("Used when the redirect points to neither a post nor a page."),
    )

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self):
        return f"{self.old_path} → {self.target()}"

    def target(self):
        if self.post_id:
            return self.post.get_absolute_url()
        if self.page_id:
            return self.page.get_absolute_url()
        return self.new_path


def day_bounds(year, month, day=None):
    """Aware datetimes bounding a day or a month in the site's time zone (None if impossible)."""
    if not 1 <= year < 9999:
        return None
    try:
        if day is None:
            start = datetime(year, month, 1)
            end = datetime(year + (month == 12), month % 12 + 1, 1)
        else:
            start = datetime.combine(datetime(year, month, day).date(), time.min)
            end = start + timedelta(days=1)
    except ValueError:
        return None
    tz = timezone.get_current_timezone()
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def year_bounds(year):
    """Aware datetimes bounding a year in the site's time zone (None if out of range)."""
    if not 1 <= year < 9999:
        return None
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime(year, 1, 1), tz),
        timezone.make_aware(datetime(year + 1, 1, 1), tz),
    )
