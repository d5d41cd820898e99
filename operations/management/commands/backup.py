from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Take a consistent online backup of the database (SQLite backup API, or pg_dump custom format) "
        "and the uploaded media into BACKUP_DIR, keeping the newest BACKUP_KEEP. "
        "backcare-backup.timer runs it daily; `manage.py restore FOLDER` brings one back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="Folder to keep backups in (BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=None, help="How many backups to keep (BACKUP_KEEP).")

    def handle(self, *args, **options) -> None:
        root = options["to"] or Path(settings.BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            backup = backups.create_backup(root, keep=keep)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = backup.manifest["summary"]["counts"]
        self.stdout.write(
            f"Backed up to {backup.folder}: {backup.comment_count} comments, "
            f"{counts['classes.Enquiry']} enquiries, {counts['exercises.Exercise']} exercises, "
            f"{counts['classes.Course']} courses."
        )
