import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext as gettext_lazy  # argparse wants a str (#17)

from salon.portability.export_json import export_json
from salon.portability.files import atomic_output


class Command(BaseCommand):
    help = gettext_lazy(
        "Write the whole site as one JSON document: {format: \"salon-export\", version: 1, "
        "exported_at, site: {name, url, languages}, tags: [{id, name, slug}], series: [{id, "
        "title, slug, description, planned_length}], posts: [{id, title, slug, url, language, "
        "status, published_at, updated_at, translation_key, summaries: {language: text}, body, "
        "body_format, body_html, tags: [slug], series: {slug, position}, sticky, comments_open, "
        "password, in_reply_to_url, cover, source, responses: [{id, parent, kind, origin, "
        "state, author: {name, email, url, photo}, content, content_html, language, "
        "source_url, created_at}]}], pages: [{id, title, slug, url, language, status, "
        "published_at, updated_at, translation_key, summaries, body, body_format, body_html, "
        "parent, menu_order, show_in_menu}], redirects: [{old_path, target}]}. Dates are ISO "
        "8601 with their offset. See docs/design/portability.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE",
                            help=gettext_lazy("the file to write (“-” for standard output)"))

    def handle(self, *args, output, **options):
        if output == "-":
            export_json(sys.stdout)
            return
        try:
            with atomic_output(output) as out:
                export_json(out)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(error)s.")
                               % {"file": output, "error": error.strerror}) from None
        self.stdout.write(_("Wrote %(file)s.") % {"file": output})
