from django.core.management.base import BaseCommand

from pagecache.invalidation import bump
from pagecache.keys import GENERATION_KEY


class Command(BaseCommand):
    help = (
        "Retire every cached page and fragment, on every app server. A release needs no such step "
        "(each one caches under its own id); this is for a changed setting that shows on pages."
    )

    def handle(self, **options) -> None:
        # Straight away, not after a commit: no transaction is open, and nothing waits on one.
        # If the cache cannot be reached, the bump is kept in the database and applied later.
        bump([GENERATION_KEY])
        self.stdout.write(
            "Every cached page and fragment is retired; each is rendered afresh when next asked for."
        )
