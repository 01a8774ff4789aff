from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from salon.portability.import_json import import_json, render_json_report
from salon.portability.json_shape import ImportJSONError


class Command(BaseCommand):
    # Plain strings translated when the command runs (argparse cannot take lazy ones).
    help = gettext_noop(
        "Import a JSON export made by salon export-json (versions 1 and 2), losslessly: "
        "posts and pages with their Markdown, summaries, tags, series, translations, "
        "responses with their origin and threads, redirects and follow-up subscriptions. "
        "Re-importing the same file updates what it created. Everything is written in one "
        "transaction: a file that cannot be read changes nothing."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = _(type(self).help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .json file salon export-json wrote"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("read and check everything, report what would change, write nothing"),
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            report = import_json(file, dry_run=dry_run, display_name=file)
        except ImportJSONError as error:
            raise CommandError(str(error)) from None
        if options.get("verbosity", 1) > 0:
            self.stdout.write(render_json_report(report))
