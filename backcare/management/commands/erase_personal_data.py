from django.core.management.base import BaseCommand

from classes import privacy as classes_privacy
from comments import privacy as comments_privacy


class Command(BaseCommand):
    help = (
        "Erase what is stored under an e-mail address: comments anonymised, messages to teachers "
        "and course alerts deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        comments = comments_privacy.erase(email)
        classes = classes_privacy.erase(email)
        self.stdout.write(
            f"Anonymised {comments} comment(s); deleted {classes['enquiries_deleted']} message(s) to teachers "
            f"and {classes['course_alerts_deleted']} course alert(s) for {email}."
        )
