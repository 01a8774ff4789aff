"""A standalone page (about, contact), at /<slug>/."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from salon import languages

from .publishable import Publishable


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
            if reserved_page_slug(self.slug):
                raise ValidationError(
                    {
                        "slug": _("“%(slug)s” is already a Salon address; choose another slug.")
                        % {"slug": self.slug}
                    }
                )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A page cannot be its own parent.")})


def reserved_page_slug(slug):
    """True when a page cannot have this slug: /<slug>/ is a language's river or another
    Salon address. ``Page.clean()`` refuses it; the importers pick another."""
    return languages.is_content_language(slug) or _url_is_taken(slug)


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
