from django.core.management.base import BaseCommand

from classes.privacy import purge


class Command(BaseCommand):
    help = "Clear old enquiry IP addresses and delete old delivered and spam enquiries (run daily)."

    def handle(self, *args, **options) -> None:
        result = purge()
        self.stdout.write(
            f"Enquiries: IP cleared on {result['ip_cleared']}, {result['delivered_deleted']} delivered "
            f"and {result['spam_deleted']} spam deleted."
        )
