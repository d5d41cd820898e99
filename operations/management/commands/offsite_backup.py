from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backups, offsite


class Command(BaseCommand):
    help = (
        "Copy the newest backup in BACKUP_DIR to the restic repository RESTIC_REPOSITORY "
        "(password in RESTIC_PASSWORD_FILE), then forget and prune old snapshots as "
        "BACKUP_OFFSITE_RETENTION says. backcare-backup.service runs it after `manage.py backup`. "
        "--init creates the repository once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--init", action="store_true", help="Create the restic repository, then stop.")

    def handle(self, *args, **options) -> None:
        root = Path(settings.BACKUP_DIR)
        try:
            if options["init"]:
                offsite.init_repository()
                self.stdout.write("Created the restic repository.")
                return
            found = backups.list_backups(root)
            if not found:
                raise CommandError(f"No backup in {root} to copy.")
            snapshot = offsite.copy_offsite(found[-1], stamp_dir=root)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Copied {found[-1].name} to the restic repository as snapshot {snapshot[:8]}; "
            f"kept {settings.BACKUP_OFFSITE_RETENTION}."
        )
