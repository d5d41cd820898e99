from django.core.management.base import BaseCommand

from mailing import bounces


class Command(BaseCommand):
    help = "Mail these addresses again: remove their bouncing mark (the person fixed their mailbox)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("emails", nargs="+")

    def handle(self, *, emails: list[str], **options) -> None:
        removed = bounces.clear(emails)
        self.stdout.write(f"Removed {removed} bouncing mark(s).")
