from django.core.management.base import BaseCommand

from classes.privacy import purge_alert_signups


class Command(BaseCommand):
    help = "Delete course alert sign-ups that were not confirmed within a week (run daily)."

    def handle(self, *args, **options) -> None:
        deleted = purge_alert_signups()
        self.stdout.write(f"Course alerts: {deleted} unconfirmed sign-up(s) deleted.")
