import json

from django.core.management.base import BaseCommand

from comments import privacy


class Command(BaseCommand):
    help = "Print, as JSON, everything stored about the comments sent with an e-mail address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        data = {"email": email, "comments": privacy.export(email)}
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
