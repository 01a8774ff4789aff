import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon.portability.export_json import export_json
from salon.portability.files import atomic_output


class Command(BaseCommand):
    help = _(
        'Write the whole site as one JSON document (format "salon-export", version 2): the '
        "site, tags, series, posts with their summaries and responses, pages, redirects and "
        "subscribers, every date in ISO 8601 with its offset. salon import-json reads it back. "
        "The shape is described field by field in docs/design/portability.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE",
            help=_("the file to write (“-” for standard output)"),
        )

    def handle(self, *args, output, **options):
        if output == "-":
            export_json(sys.stdout)
            return
        try:
            with atomic_output(output) as out:
                export_json(out)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s.") % {"file": output, "error": error.strerror}
            ) from None
        self.stdout.write(_("Wrote %(file)s.") % {"file": output})
