from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon.portability.backup import BackupError, restore
from salon.portability.backup_checks import has_checksums


class Command(BaseCommand):
    help = _(
        "Bring back a backup made by salon backup: the database is replaced by the backup's "
        "and the media files are copied back. Stop the site (or at least its worker) first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help=_("the backup folder"))
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("do not ask for confirmation"),
        )

    def handle(self, *args, directory, interactive=True, **options):
        def confirm(manifest):
            try:
                answer = input(
                    _(
                        "This replaces the whole database with the backup of %(date)s. Type "
                        "“yes” to continue: "
                    )
                    % {"date": manifest["created_at"]}
                )
            except EOFError:  # no one to answer (standard input closed): no
                return False
            return answer.strip().lower() in ("yes", "oui")

        try:
            manifest = restore(directory, confirm=confirm if interactive else None)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        if not has_checksums(manifest):
            self.stdout.write(
                _(
                    "This backup was made before backups carried checksums: it "
                    "was checked by the database's own integrity check only."
                )
            )
        counts = manifest["counts"]
        self.stdout.write(
            _(
                "Restored %(posts)s posts, %(pages)s pages and %(responses)s responses from "
                "%(dir)s. Run “salon migrate” if this version of Salon is newer than the backup."
            )
            % {**counts, "dir": directory}
        )
