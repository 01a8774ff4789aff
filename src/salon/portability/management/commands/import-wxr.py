import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon import languages
from salon.portability import afterwork, tasks
from salon.portability.report import render_report
from salon.portability.writer import import_wxr
from salon.portability.wxr import WXRError


class Command(BaseCommand):
    help = _(
        "Import a WordPress export (WXR 1.0 to 1.2): posts, pages, comments, tags, categories, "
        "featured images and attachments (by their URLs). Re-importing the same blog updates "
        "what an earlier import created. Everything is written in one transaction: a file that "
        "cannot be read changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .xml or .wxr file WordPress exported"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("read and check everything, report what would change, write nothing"),
        )
        parser.add_argument(
            "--recover",
            action="store_true",
            help=_(
                "import what a damaged file still holds and list what was dropped "
                "or repaired (without it a damaged file is refused whole)"
            ),
        )
        parser.add_argument(
            "--default-language",
            metavar="CODE",
            help=_(
                "the language of posts whose title, language taxonomy or category "
                "does not say it, instead of detecting it"
            ),
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help=_(
                "leave the work after the import (comment languages, search index, similar "
                "posts) to the worker instead of doing it before the command ends"
            ),
        )
        parser.add_argument(
            "--media",
            metavar="DIR|URL",
            help=_(
                "after the import, copy attachments from DIR (a copy of "
                "wp-content/uploads) or download them from URL (where that folder "
                "is served) into the media folder, in the background"
            ),
        )

    def handle(
        self,
        *args,
        file,
        dry_run=False,
        recover=False,
        default_language=None,
        media=None,
        background=False,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file})
        if default_language and not languages.is_content_language(default_language):
            raise CommandError(
                _(
                    "--default-language %(code)s is not one of this blog's languages "
                    "(%(configured)s)."
                )
                % {"code": default_language, "configured": ", ".join(languages.content_languages())}
            )
        if media and not re.match(r"^https?://", media) and not Path(media).is_dir():
            raise CommandError(
                _("--media %(value)s is neither a folder nor an http(s) address.")
                % {"value": media}
            )
        progress, finish = self._progress(path, options.get("verbosity", 1))
        try:
            report = import_wxr(
                path,
                dry_run=dry_run,
                recover=recover,
                default_language=default_language,
                progress=progress,
                display_name=file,
            )
        except WXRError as error:
            raise CommandError(str(error)) from None
        finally:
            finish()
        if media and not dry_run:
            tasks.fetch_media_after_commit(report.source_site, media)
            self.stdout.write(_("Media will be brought home in the background (salon worker)."))
        if options.get("verbosity", 1) > 0:
            self.stdout.write(render_report(report))
        if not dry_run and not background:
            self._after_work(options.get("verbosity", 1))

    def _after_work(self, verbosity):
        """Run the tasks the import queued (with the database task backend) before ending."""
        total = afterwork.queued()
        if not total:
            return
        bar = None
        if verbosity and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar_task = bar.add_task(_("Finishing"), total=total)
            bar.start()
        state = {"started": 0}

        def started(description):
            if bar is not None:
                bar.update(bar_task, description=description, completed=state["started"])
            state["started"] += 1

        try:
            done, seconds = afterwork.run_queued(started)
        finally:
            if bar is not None:
                bar.stop()
        if verbosity:
            self.stdout.write(
                _(
                    "Comment languages, search index and similar posts brought up to date "
                    "(%(tasks)s tasks, %(seconds).1f s)."
                )
                % {"tasks": done, "seconds": seconds}
            )

    def _progress(self, path, verbosity):
        """A rich progress bar on an interactive terminal; nothing otherwise (CI, pipes)."""
        if verbosity == 0 or not sys.stderr.isatty():
            return None, lambda: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        task_id = bar.add_task(_("Importing"), total=path.stat().st_size)
        bar.start()
        state = {"last": 0}

        def progress(position):
            if position - state["last"] >= 65536:
                state["last"] = position
                bar.update(task_id, completed=position)

        return progress, bar.stop
