from django.core.management.base import BaseCommand
from django.utils import timezone

from pagecache.models import CountedLimit


class Command(BaseCommand):
    help = (
        "Delete the rate-limit counts kept in the database while the counters' Redis was down "
        "once they have expired. Their keys can hold a visitor's IP address."
    )

    def handle(self, **options) -> None:
        # The counts cache removes expired rows only past its MAX_ENTRIES, so without this a
        # count made during an outage (keyed by address) would stay for ever.
        deleted, _ = CountedLimit.objects.filter(expires__lt=timezone.now()).delete()
        self.stdout.write(f"Deleted {deleted} expired rate-limit count(s).")
