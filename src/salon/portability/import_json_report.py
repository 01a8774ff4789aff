"""What ``salon import-json`` reports: counts by kind and outcome, and the closing table."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.table import Table

from salon import languages

from .report import removed_markup_line, summary_console


@dataclass
class JSONImportReport:
    file: str = ""
    source_site: str = ""
    version: int = 0
    exported_at: str = ""
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    removed_markup: Counter = field(default_factory=Counter)  # by what (salon.blog.sanitising)
    seconds: float = 0.0

    def count(self, kind, outcome):
        {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}[outcome][
            kind
        ] += 1


# The rows of the closing table, in the order they are shown.
KINDS = (
    "tags",
    "series",
    "posts",
    "pages",
    "summaries",
    "responses",
    "redirects",
    "subscribers",
    "subscriptions",
)


def _kind_label(kind):
    return {
        "tags": _("tags"),
        "series": _("series"),
        "posts": _("posts"),
        "pages": _("pages"),
        "summaries": _("summaries"),
        "responses": _("responses"),
        "redirects": _("redirects"),
        "subscribers": _("subscribers"),
        "subscriptions": _("follow-up subscriptions"),
    }[kind]


def render_json_report(report, width=100):
    """The closing summary: a table of what was created, updated and left as it was."""
    console, buffer = summary_console(report, width)
    console.print(
        _("Salon export version %(version)s of %(site)s, made %(date)s")
        % {"version": report.version, "site": report.source_site, "date": report.exported_at},
        soft_wrap=True,
    )
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column(_("what"))
    table.add_column(_("new"), justify="right")
    table.add_column(_("updated"), justify="right")
    table.add_column(_("unchanged"), justify="right")
    for kind in KINDS:
        table.add_row(
            _kind_label(kind),
            str(report.created[kind]),
            str(report.updated[kind]),
            str(report.unchanged[kind]),
        )
    console.print(table)
    for code in sorted(report.languages):
        count = report.languages[code]
        console.print(
            "- "
            + ngettext(
                "%(count)s post or page in %(language)s",
                "%(count)s posts and pages in %(language)s",
                count,
            )
            % {"count": count, "language": languages.language_name(code)},
            soft_wrap=True,
        )
    if report.removed_markup:
        console.print(f"- {removed_markup_line(report.removed_markup)}", soft_wrap=True)
    for note in report.notes:
        console.print(f"- {note}", soft_wrap=True)
    return buffer.getvalue().rstrip("\n")
