from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon.portability.backup import BackupError, backup


class Command(BaseCommand):
    help = _(
        "Take a consistent snapshot of the running site into a new folder: the database "
        "(SQLite's online backup API, or pg_dump for PostgreSQL) and the media folder, with a "
        "manifest.json. salon restore DIR brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="DIR",
            help=_("a new or empty folder to write the backup to"),
        )

    def handle(self, *args, output, **options):
        try:
            manifest = backup(output)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        counts = manifest["counts"]
        self.stdout.write(
            _(
                "Backed up %(posts)s posts, %(pages)s pages, %(responses)s responses and "
                "%(media)s media files to %(dir)s."
            )
            % {**counts, "media": manifest["media_files"], "dir": output}
        )
