"""Posts, pages and what hangs off them: summaries, tags, series, translations, sources.

A post has exactly one language. Summaries are short texts in the *other* languages, the bridge
that lets a reader of one language follow a blog written mostly in another. Translations of one
text share a ``translation_key`` (one row per language).

Each model lives in its own module; every name is re-exported here so ``salon.blog.models``
stays the one import path (migrations name ``salon.blog.models.validate_content_language``).
"""

from .dates import day_bounds, year_bounds
from .page import Page
from .post import Post, PostQuerySet, Visibility
from .publishable import (
    PUBLIC_STATUSES,
    BodyFormat,
    Publishable,
    PublishableQuerySet,
    Status,
    validate_content_language,
)
from .redirects import Redirect
from .summaries import PageSummary, PostSummary, Summary
from .taxonomy import Series, Tag

__all__ = [
    "PUBLIC_STATUSES",
    "BodyFormat",
    "Page",
    "PageSummary",
    "Post",
    "PostQuerySet",
    "PostSummary",
    "Publishable",
    "PublishableQuerySet",
    "Redirect",
    "Series",
    "Status",
    "Summary",
    "Tag",
    "day_bounds",
    "Visibility",
    "validate_content_language",
    "year_bounds",
]
