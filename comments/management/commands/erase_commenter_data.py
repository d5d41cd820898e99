from django.core.management.base import BaseCommand

from comments import privacy


class Command(BaseCommand):
    help = (
        "Anonymise the comments sent with an e-mail address: name, e-mail and website removed, IP truncated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        erased = privacy.erase(email)
        self.stdout.write(f"Anonymised {erased['comments']} comment(s) sent with {email}.")
