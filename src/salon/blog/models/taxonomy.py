"""Tags and series: how posts are grouped."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..slugs import unique_slug


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
