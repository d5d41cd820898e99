from django.core.management.base import BaseCommand

from comments import tasks


class Command(BaseCommand):
    help = (
        "Re-check held comments whose Akismet check failed (at most comments.tasks.RECHECK_BATCH) "
        "and retry failed Spam / Not spam reports. Run it from cron every few minutes."
    )

    def handle(self, *args, **options) -> None:
        done = tasks.recheck_comments.call()
        self.stdout.write(f"Re-checked or reported {done} comment(s).")
