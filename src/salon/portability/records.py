"""Neutral records: what a WordPress export holds, with nothing of Salon's database in it.

The reader (``wxr.py``) yields these from the file, one at a time; the writer (``writer/``)
decides what each becomes. Dates are aware datetimes; texts are as WordPress stored them.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Site:
    wxr_version: str
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""

    @property
    def key(self):
        """What identifies the blog across exports: its address, without scheme or slash."""
        url = self.base_blog_url or self.link or self.base_site_url or ""
        return url.split("://", 1)[-1].rstrip("/").lower() or "unknown"


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""


@dataclass
class Term:
    """A category, tag or other taxonomy term declared at the top of the file."""

    taxonomy: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""
    meta: dict = field(default_factory=dict)


@dataclass
class Comment:
    wp_id: int
    author_name: str
    author_email: str
    author_url: str
    author_ip: str
    created_at: datetime
    content: str
    approved: str  # "1", "0", "spam", "trash"…
    comment_type: str  # "", "comment", "pingback", "trackback"…
    parent_wp_id: int
    meta: dict = field(default_factory=dict)
    content_html: str | None = None  # the shown HTML, when already converted (see Converted)


@dataclass
class Entry:
    """A post or a page."""

    kind: str  # "post" or "page"
    wp_id: int
    title: str
    link: str
    guid: str
    content: str
    excerpt: str
    status: str  # WordPress's: publish, future, draft, pending, private…
    published_at: datetime
    slug: str
    parent_wp_id: int
    menu_order: int
    password: str
    sticky: bool
    comment_status: str
    creator: str
    terms: list = field(default_factory=list)  # [(domain, nicename, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    line: int = 0
    converted: "Converted | None" = None  # filled by content.convert_entry()

    @property
    def label(self):
        return (
            f"“{self.title}” ({self.kind} {self.wp_id})"
            if self.title
            else f"{self.kind} {self.wp_id}"
        )


@dataclass
class Converted:
    """What an entry's text becomes, worked out from the record alone (so the process that
    reads the file can do it while another writes): the shown body, the title without its
    language marker, the leading paragraphs marked with another language, and a sample of
    the text for language detection."""

    body: str
    notes: object  # ConversionNotes (below)
    title: str
    title_language: str | None
    marked_paragraphs: list  # [(code, text, fragment)]
    rest: str  # the body after those paragraphs
    sample: str


@dataclass
class Attachment:
    wp_id: int
    url: str
    parent_wp_id: int
    title: str = ""
    caption: str = ""
    alt: str = ""
    link: str = ""
    menu_order: int = 0


@dataclass
class Skipped:
    """An item Salon does not import, and why (menus, revisions, unknown post types…)."""

    kind: str
    reason: str
    wp_id: int | None = None
    title: str = ""
    line: int = 0


@dataclass
class Repair:
    """Something the recovering parser fixed or dropped (only with ``--recover``)."""

    line: int
    column: int
    message: str
    item: str = ""


@dataclass
class ConversionNotes:
    """What a conversion met that the import summary should mention."""

    unknown_shortcodes: Counter = field(default_factory=Counter)
    dynamic_blocks: Counter = field(default_factory=Counter)
    galleries: list = field(default_factory=list)  # gallery specs to resolve after the import
    removed_markup: Counter = field(default_factory=Counter)  # what the sanitiser takes out

    def merge(self, other):
        self.unknown_shortcodes.update(other.unknown_shortcodes)
        self.dynamic_blocks.update(other.dynamic_blocks)
        self.removed_markup.update(other.removed_markup)
