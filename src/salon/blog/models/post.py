"""A post: one text in one language, dated, in the river."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .publishable import PUBLIC_STATUSES, Publishable, PublishableQuerySet
from .taxonomy import Series, Tag


class Visibility(models.TextChoices):
    """Who finds a published post. A password (``Post.password``) is orthogonal: it hides the
    text of a public or unlisted post until the reader types it."""

    PUBLIC = "public", _("Public")
    UNLISTED = "unlisted", _("Unlisted: only by its link")
    PRIVATE = "private", _("Private: only the author")


# Reachable by their address once their date has come.
REACHABLE_VISIBILITIES = [Visibility.PUBLIC, Visibility.UNLISTED]


class PostQuerySet(PublishableQuerySet):
    def published(self):
        """Posts a reader can open by their address: published (or scheduled and due), public
        or unlisted; never drafts or private posts."""
        return super().published().filter(visibility__in=REACHABLE_VISIBILITIES)

    def listed(self):
        """Published posts that readers find: in rivers, archives, tag and series pages, feeds,
        search, similar posts, sitemaps and federation. Unlisted posts are left out."""
        return super().published().filter(visibility=Visibility.PUBLIC)

    def listable(self):
        """Posts that are or will be listed (scheduled ones included, whatever their date):
        what the search and similar-posts indexes hold."""
        return self.filter(status__in=PUBLIC_STATUSES, visibility=Visibility.PUBLIC)


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
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Unlisted posts open by their link but stay out of rivers, feeds, search and the "
            "fediverse; private ones only for the signed-in author."
        ),
    )
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

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        # The river (newest first) is read by walking these indexes in order and stopping
        # after a page, checking the state and visibility on the way (nearly every post is
        # public; both are in the index so the paginator's count reads nothing else). An index on (status,
        # published_at) cannot give that order across the two public states: every public
        # post was read and sorted for each page, 5 ms at 2,000 posts and growing with the
        # blog. A partial index on the public states would be smaller, but SQLite cannot use
        # one when the states arrive as bound parameters, as Django sends them.
        indexes = [
            models.Index(
                fields=["-published_at", "-id", "status", "visibility"], name="post_river_idx"
            ),
            models.Index(
                fields=["language", "-published_at", "-id", "status", "visibility"],
                name="post_lang_river_idx",
            ),
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
    def is_listed(self):
        """Public now and listed: what rivers, feeds, search and federation may show."""
        return self.is_public and self.visibility == Visibility.PUBLIC

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
        siblings = Post.objects.listed().filter(series_id=self.series_id)
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
        return Post.objects.listed().filter(series_id=self.series_id).count()
