from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backcare import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media folder, "
        "replacing what is there, then check every table's row count and the checksums of comments "
        "and enquiries against the backup's manifest. Stop the web server and the worker first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "folder", type=Path, nargs="?", help="A backup folder; default: the newest in BACKUP_DIR."
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args, **options) -> None:
        folder = options["folder"]
        if folder is None:
            found = backups.list_backups(Path(settings.BACKUP_DIR))
            if not found:
                raise CommandError(f"No backup in {settings.BACKUP_DIR}.")
            folder = found[-1]
        if options["interactive"]:
            answer = input(
                f"This replaces everything in the database and the media folder with {folder}. "
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            restored = backups.restore_backup(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {folder}: {restored['counts']['comments.Comment']} comments, "
            f"{restored['counts']['classes.Enquiry']} enquiries; every count and checksum matches the backup."
        )
