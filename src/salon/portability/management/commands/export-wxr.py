import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon.portability.export_wxr import export_wxr
from salon.portability.files import atomic_output


class Command(BaseCommand):
    help = _(
        "Write the whole site as a WordPress export (WXR 1.2) that WordPress's importer reads: "
        "posts, pages, comments with their threads, tags, series, languages (as the “language” "
        "taxonomy Polylang uses) and summaries (a first paragraph per language, “<p>[en] …</p>”). "
        "salon import-wxr reads it back."
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
            export_wxr(sys.stdout)
            return
        try:
            with atomic_output(output) as out:
                export_wxr(out)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s.") % {"file": output, "error": error.strerror}
            ) from None
        self.stdout.write(_("Wrote %(file)s.") % {"file": output})
