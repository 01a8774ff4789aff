from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from salon.blog.models import Post, Tag

from ..models import SearchDocument

# Relative weights of the indexed fields: a word in the title says most about a post, then
# its tags, its summaries, its body.
WEIGHTS = {"title": 10.0, "tags": 6.0, "summaries": 4.0, "body": 1.0}


@dataclass(frozen=True)
class Filters:
    now: datetime
    language: str | None = None
    tag: str | None = None  # a tag's slug
    year: int | None = None


class SearchBackend:
    """Runs a parsed query; subclasses write the engine's match and rank."""

    vendor = None

    def search(self, parsed, filters, limit, offset):
        """``([(post_id, score), ...], total)``: one page of hits, best first, and the total
        number of hits (which is 0 when the page is past the last one: see ``count``)."""
        raise NotImplementedError

    def count(self, parsed, filters):
        """The number of hits."""
        raise NotImplementedError

    def optimize(self):
        """Tidy the index after a rebuild (optional)."""

    # Shared SQL -----------------------------------------------------------------------------

    def filter_sql(self, filters, alias="d"):
        """WHERE conditions (joined with AND) and their parameters, on the documents table."""
        qn = connection.ops.quote_name
        conditions = [f"{alias}.{qn('published_at')} <= %s"]
        params = [self.datetime(filters.now)]
        if filters.language:
            conditions.append(f"{alias}.{qn('language')} = %s")
            params.append(filters.language)
        if filters.year:
            conditions.append(f"{alias}.{qn('year')} = %s")
            params.append(filters.year)
        if filters.tag:
            through = Post.tags.through._meta
            post_column = through.get_field("post").column
            tag_column = through.get_field("tag").column
            conditions.append(
                f"{alias}.{qn('post_id')} IN (SELECT pt.{qn(post_column)} "
                f"FROM {qn(through.db_table)} pt JOIN {qn(Tag._meta.db_table)} t "
                f"ON t.{qn('id')} = pt.{qn(tag_column)} WHERE t.{qn('slug')} = %s)"
            )
            params.append(filters.tag)
        return " AND ".join(conditions), params

    @staticmethod
    def datetime(value):
        """A datetime as this database compares it in raw SQL."""
        return connection.ops.adapt_datetimefield_value(value)

    @property
    def documents_table(self):
        return connection.ops.quote_name(SearchDocument._meta.db_table)

    @staticmethod
    def run(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
