import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backups, offsite


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media folder, "
        "replacing what is there, then check every table's row count and the checksums of comments "
        "and enquiries against the backup's manifest. Stop the web server and the worker first. "
        "--from-offsite takes the backup back from the restic repository first (manage.py offsite_backup)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "folder", type=Path, nargs="?", help="A backup folder; default: the newest in BACKUP_DIR."
        )
        parser.add_argument(
            "--from-offsite",
            nargs="?",
            const="latest",
            default=None,
            metavar="SNAPSHOT",
            help="Take the backup from the restic repository (default: its latest snapshot).",
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args, **options) -> None:
        if options["from_offsite"] and options["folder"]:
            raise CommandError("Give a backup folder or --from-offsite, not both.")
        if options["from_offsite"]:
            # Fetched next to the local backups (same disk, same privacy), removed afterwards.
            root = Path(settings.BACKUP_DIR)
            root.mkdir(parents=True, exist_ok=True, mode=backups.PRIVATE_FOLDER)
            fetched = Path(tempfile.mkdtemp(prefix=".offsite-restore-", dir=root))
            try:
                folder = offsite.fetch_offsite(fetched, snapshot=options["from_offsite"])
                self._restore(folder, interactive=options["interactive"])
            except backups.BackupError as error:
                raise CommandError(str(error)) from error
            finally:
                shutil.rmtree(fetched, ignore_errors=True)
            return
        folder = options["folder"]
        if folder is None:
            found = backups.list_backups(Path(settings.BACKUP_DIR))
            if not found:
                raise CommandError(f"No backup in {settings.BACKUP_DIR}.")
            folder = found[-1]
        self._restore(folder, interactive=options["interactive"])

    def _restore(self, folder: Path, *, interactive: bool) -> None:
        if interactive:
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
            f"Restored {folder.name}: {restored['counts']['comments.Comment']} comments, "
            f"{restored['counts']['classes.Enquiry']} enquiries; every count and checksum matches the backup."
        )
