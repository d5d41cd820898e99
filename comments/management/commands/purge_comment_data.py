from django.core.management.base import BaseCommand

from comments import privacy


class Command(BaseCommand):
    help = "Apply the comment retention rules: clear old IP addresses and browsers, delete old spam."

    def handle(self, *args, **options) -> None:
        counts = privacy.purge()
        self.stdout.write(
            "IP and browser cleared: {ip_cleared}; spam and trash deleted: {spam_deleted}; "
            "spam and trash emptied (kept for their replies): {spam_emptied}.".format(**counts)
        )
