"""The closing summary of an import, as a rich table rendered to text."""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rich.console import Console
from rich.table import Table

from salon import languages


@dataclass
class ImportReport:
    file: str = ""
    source_site: str = ""
    wxr_version: str = ""
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)  # posts, pages, comments, tags…
    updated: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)  # posts and pages by language
    summaries: Counter = field(default_factory=Counter)  # by language
    skipped: Counter = field(default_factory=Counter)  # by kind
    skip_reasons: dict = field(default_factory=lambda: defaultdict(Counter))
    unknown_shortcodes: Counter = field(default_factory=Counter)
    dynamic_blocks: Counter = field(default_factory=Counter)
    removed_markup: Counter = field(default_factory=Counter)  # by what (salon.blog.sanitising)
    notes: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    authors: int = 0
    attachments: int = 0
    control_characters: int = 0
    seconds: float = 0.0
    post_ids: list = field(default_factory=list)
    page_ids: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)  # Skipped records named one by one
    kept_redirects: list = field(default_factory=list)  # (old path, its target, kind, title)
    kept_redirect_count: int = 0

    def redirect_kept(self, path, target, kind, title):
        """An old address already leading elsewhere (another blog's post, a redirect set by
        hand) keeps leading there; the new item it would have led to is named."""
        self.kept_redirect_count += 1
        if len(self.kept_redirects) < MAX_NAMED:
            self.kept_redirects.append((path, target, kind, title))

    def left_out(self, skipped):
        """An item (or comment) left out because it lacks what Salon needs: named by title
        and line in the summary, so it can be found in the file."""
        if len(self.incomplete) < MAX_NAMED:
            self.incomplete.append(skipped)

    def skip(self, kind, reason, count=1):
        self.skipped[kind] += count
        self.skip_reasons[kind][reason] += count

    def note(self, message):
        if len(self.notes) < 200:
            self.notes.append(message)

    def total(self, kind):
        return self.created[kind] + self.updated[kind]


# What the reader calls the items it skips (wxr.SKIPPED_TYPES), as the summary names them.
SKIPPED_KINDS = {
    "menus": gettext_lazy("menus"),
    "revisions": gettext_lazy("revisions"),
    "theme": gettext_lazy("theme settings"),
    "reusable blocks": gettext_lazy("reusable blocks"),
    "caches": gettext_lazy("caches"),
    "privacy requests": gettext_lazy("privacy requests"),
    "unknown post types": gettext_lazy("unknown post types"),
    "incomplete": gettext_lazy("incomplete items"),
}
MAX_NAMED = 1000  # items left out that the summary names one by one


def removed_markup_line(removed):
    """The line naming what the post bodies' allow-list removed, or "" when nothing was."""
    if not removed:
        return ""
    names = {
        "script": _("script"),
        "event handler": _("event handlers"),
        "unsafe URL": _("unsafe URLs (javascript:/data:…)"),
        "malformed attribute": _("malformed attributes"),
    }
    return _("markup removed from bodies (scripts, event handlers, unsafe URLs…): %(what)s") % {
        "what": ", ".join(
            f"{names.get(what, what)} ×{count}" for what, count in removed.most_common()
        )
    }


def _count(report, kind):
    created, updated = report.created[kind], report.updated[kind]
    if updated:
        return _("%(created)s new, %(updated)s updated") % {"created": created, "updated": updated}
    return str(created)


def summary_console(report, width=100):
    """A plain-text rich console writing into a buffer (no colours, no markup: a report may
    land in a pipe or a log), with the import's title line printed: ``(console, buffer)``.
    Both imports' summaries (WXR and JSON) start here."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=False,
        color_system=None,
        highlight=False,
        soft_wrap=False,
        markup=False,
    )
    if report.dry_run:
        title = _("Dry run of %(file)s: nothing was written") % {"file": report.file}
    else:
        title = _("Imported %(file)s") % {"file": report.file}
    console.print(title, soft_wrap=True)
    return console, buffer


def render_report(report, width=100):
    console, buffer = summary_console(report, width)
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column(_("what"))
    table.add_column(_("count"), justify="right")
    table.add_column(_("details"))
    table.add_row(
        _("source"),
        "",
        _("%(site)s (WXR %(version)s)")
        % {"site": report.source_site, "version": report.wxr_version},
    )
    table.add_row(_("posts"), _count(report, "posts"), "")
    table.add_row(_("pages"), _count(report, "pages"), "")
    table.add_row(_("comments"), _count(report, "comments"), "")
    table.add_row(_("tags"), _count(report, "tags"), _("new tags (existing ones are reused)"))
    table.add_row(_("series"), _count(report, "series"), "")
    table.add_row(
        _("redirects"), _count(report, "redirects"), _("old addresses that now answer with a 301")
    )
    if report.kept_redirect_count:
        table.add_row(
            _("redirects kept"),
            str(report.kept_redirect_count),
            _("old addresses already leading elsewhere, listed below"),
        )
    for code in sorted(report.languages):
        table.add_row(
            _("in %(language)s") % {"language": languages.language_name(code)},
            str(report.languages[code]),
            _("posts and pages"),
        )
    for code in sorted(report.summaries):
        table.add_row(
            _("summaries in %(language)s") % {"language": languages.language_name(code)},
            str(report.summaries[code]),
            _("from a first paragraph marked [%(code)s]") % {"code": code},
        )
    table.add_row(_("attachments"), str(report.attachments), _("kept at their original addresses"))
    table.add_row(_("authors"), str(report.authors), "")
    lines = []
    for kind in sorted(report.skipped):
        reasons = ", ".join(
            f"{reason} ×{count}" for reason, count in report.skip_reasons[kind].most_common()
        )
        label = SKIPPED_KINDS.get(kind, kind)
        table.add_row(_("skipped: %(kind)s") % {"kind": label}, str(report.skipped[kind]), "")
        if kind != "incomplete":  # those are named one by one below
            lines.append(_("skipped %(kind)s: %(reasons)s") % {"kind": label, "reasons": reasons})
    for path, target, kind, title in report.kept_redirects:
        message = (
            _(
                "kept %(path)s → %(target)s; the new post %(title)s is not reachable at that old "
                "address"
            )
            if kind == "post"
            else _(
                "kept %(path)s → %(target)s; the new page %(title)s is not reachable at that old "
                "address"
            )
        )
        lines.append(message % {"path": path, "target": target, "title": f"“{title}”"})
    unlisted = report.kept_redirect_count - len(report.kept_redirects)
    if unlisted > 0:
        lines.append(
            ngettext(
                "and %(count)s more old address kept",
                "and %(count)s more old addresses kept",
                unlisted,
            )
            % {"count": unlisted}
        )
    for skipped in report.incomplete:
        lines.append(
            _("skipped: %(item)s (line %(line)s): %(reason)s")
            % {
                "item": f"“{skipped.title}”" if skipped.title else _("an untitled item"),
                "line": skipped.line,
                "reason": skipped.reason,
            }
        )
    unnamed = report.skipped["incomplete"] - len(report.incomplete)
    if unnamed > 0:
        lines.append(
            ngettext(
                "and %(count)s more incomplete item", "and %(count)s more incomplete items", unnamed
            )
            % {"count": unnamed}
        )
    if report.unknown_shortcodes:
        table.add_row(
            _("unknown shortcodes"), str(sum(report.unknown_shortcodes.values())), _("kept as text")
        )
        lines.append(
            _("unknown shortcodes, kept as text: %(names)s")
            % {
                "names": ", ".join(
                    f"[{name}] ×{count}" for name, count in report.unknown_shortcodes.most_common()
                )
            }
        )
    if report.dynamic_blocks:
        table.add_row(_("dynamic blocks"), str(sum(report.dynamic_blocks.values())), _("left out"))
        lines.append(
            _("dynamic blocks, drawn by WordPress at display time, left out: %(names)s")
            % {
                "names": ", ".join(
                    f"{name} ×{count}" for name, count in report.dynamic_blocks.most_common()
                )
            }
        )
    if report.removed_markup:
        table.add_row(
            _("removed markup"),
            str(sum(report.removed_markup.values())),
            _("scripts, event handlers, unsafe URLs… (listed below)"),
        )
        lines.append(removed_markup_line(report.removed_markup))
    if report.control_characters:
        table.add_row(
            _("control characters"),
            str(report.control_characters),
            _("invisible characters XML forbids, removed"),
        )
    if report.repairs:
        dropped = report.skipped["incomplete"]  # named below, with what they lacked
        table.add_row(
            _("repairs"),
            str(len(report.repairs)),
            ngettext("%(count)s item dropped", "%(count)s items dropped", dropped)
            % {"count": dropped},
        )
    if report.seconds:
        rate = report.total("posts") / report.seconds
        table.add_row(
            _("time"),
            f"{report.seconds:.1f} s",
            _("%(rate)s posts a second") % {"rate": f"{rate:,.0f}"}
            if report.total("posts") >= 100
            else "",
        )
    console.print(table)
    for line in lines:
        console.print(f"- {line}", overflow="ignore", crop=False, soft_wrap=True)
    for repair in report.repairs:
        where = _("line %(line)s") % {"line": repair.line} if repair.line else ""
        console.print(
            f"- {_('repaired')}: {repair.item or _('(between items)')} {where}: {repair.message}",
            soft_wrap=True,
        )
    for note in report.notes:
        console.print(f"- {note}", soft_wrap=True)
    return buffer.getvalue().rstrip("\n")
