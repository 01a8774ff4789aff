"""The search index's rows: one ``SearchDocument`` per public or scheduled post.

The columns named ``*_terms`` hold the post's texts already analysed by
``salon.languages.analysis`` (each text in its own language: folded, stop words out, stemmed),
as space-separated terms. The engine-specific index is built over them by this app's
migrations, outside the model (database-specific objects stay out of shared models):

- SQLite: the FTS5 table ``search_fts`` (external content: this table, rowid = post id), kept
  in step by triggers. ``filter_terms`` holds the post's language, year and tags as terms, so
  that filters are answered inside the full-text index without a join. A later migration that
  makes Django remake this table on SQLite (most AlterField operations) drops the triggers:
  recreate them in the same migration (a test checks they exist).
- PostgreSQL: the generated, weighted ``search_vector`` tsvector column with a GIN index, kept
  in the row (storage MAIN) while the long texts go to TOAST, so ranking never reads them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    post = models.OneToOneField(
        "blog.Post",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("post"),
    )
    # Copied from the post so that filters never need a join: the post's language, its
    # publication date (a scheduled post is indexed and appears when its date comes) and the
    # year of that date in the site's time zone.
    language = models.CharField(_("language"), max_length=12)
    published_at = models.DateTimeField(_("publication date"))
    year = models.PositiveSmallIntegerField(_("year"))
    # What snippets are cut from: the body as plain text (empty for a password-protected post,
    # whose body must not leak through search).
    body_text = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    tag_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    filter_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["published_at"], name="search_doc_published_idx"),
            models.Index(fields=["year"], name="search_doc_year_idx"),
            models.Index(fields=["language"], name="search_doc_language_idx"),
        ]

    def __str__(self):
        return f"search document of post {self.post_id}"
