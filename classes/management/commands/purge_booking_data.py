from django.core.management.base import BaseCommand

from classes.privacy import BOOKING_KEEP_DAYS, purge_bookings


class Command(BaseCommand):
    help = (
        "Delete place requests not confirmed within a week, and every place request "
        f"{BOOKING_KEEP_DAYS} days after its course's last session (run daily)."
    )

    def handle(self, *args, **options) -> None:
        counts = purge_bookings()
        self.stdout.write(
            f"Place requests: {counts['unconfirmed_deleted']} unconfirmed and "
            f"{counts['ended_deleted']} of courses long over deleted."
        )
