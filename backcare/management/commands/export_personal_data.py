import json

from django.core.management.base import BaseCommand

from classes import privacy as classes_privacy
from comments import privacy as comments_privacy


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything stored under an e-mail address: comments, messages to teachers "
        "and course alerts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        data = {"email": email, "comments": comments_privacy.export(email), **classes_privacy.export(email)}
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
