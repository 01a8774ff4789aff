"""What one import knows as it goes, grouped by the part of the writer that keeps it."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from salon import languages
from salon.blog.models import Page, PageSummary, Post, PostSummary, Redirect
from salon.conversations.models import Response

from ..bulk import Inserter
from ..cleaning import language_names
from ..models import ImportedItem
from ..records import Site


@dataclass
class EntriesState:
    """Posts and pages waiting to be written, and what this import already gave out."""

    pending: list = field(default_factory=list)  # PreparedEntry, written by batch
    pending_comments: int = 0
    taken_post_slugs: set = field(default_factory=set)
    taken_page_slugs: set = field(default_factory=set)
    keys_used: set = field(default_factory=set)  # (translation_key, language)
    inserters: dict = field(
        default_factory=lambda: {
            model: Inserter(model)
            for model in (Post, Page, PostSummary, PageSummary, Redirect, Post.tags.through)
        }
    )
    items: Inserter = field(default_factory=lambda: Inserter(ImportedItem))


@dataclass
class TaxonomyState:
    tag_ids: dict = field(default_factory=dict)  # name -> id
    tag_slugs: dict = field(default_factory=dict)  # name -> WordPress nicename (kept)
    categories: dict = field(default_factory=dict)  # nicename -> tag name (redirected)
    series: dict = field(default_factory=dict)  # slug -> Series
    series_terms: dict = field(default_factory=dict)  # slug -> Term (declared in the file)
    positions_used: set = field(default_factory=set)  # (series id, position) given out
    series_touched: set = field(default_factory=set)  # series ids, numbered at the end


@dataclass
class CommentsState:
    responses: Inserter = field(default_factory=lambda: Inserter(Response))


@dataclass
class FinishState:
    """What can only be written once every item is in (items may come in any order)."""

    page_parents: list = field(default_factory=list)  # (page id, parent wp id)
    covers: list = field(default_factory=list)  # (post id, attachment wp id)
    galleries: list = field(default_factory=list)  # ("post"|"page", id, wp id)
    attachments: list = field(default_factory=list)  # Attachment records not yet written


@dataclass
class ImportState:
    report: object
    batch_size: int
    default_language: str | None = None
    site: Site | None = None  # the file's blog, from its Site record
    source: str | None = None  # that blog's key (ImportedItem.source_site)
    own_export: bool = False  # a file Salon itself exported
    now: object = field(default_factory=timezone.now)
    language_names: dict = field(default_factory=language_names)
    language_codes: set = field(
        default_factory=lambda: {c.lower() for c in languages.content_languages()}
    )
    entries: EntriesState = field(default_factory=EntriesState)
    taxonomy: TaxonomyState = field(default_factory=TaxonomyState)
    comments: CommentsState = field(default_factory=CommentsState)
    finish: FinishState = field(default_factory=FinishState)

    def start(self, site):
        """The file's Site record: whose blog this is."""
        self.site, self.source = site, site.key
        self.own_export = site.key == Site(wxr_version="", base_blog_url=settings.SITE_URL).key
        self.report.source_site = site.key
        self.report.wxr_version = site.wxr_version
