"""Old addresses kept alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .page import Page
from .post import Post


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
