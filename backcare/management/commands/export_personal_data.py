import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from backcare import privacy


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything stored about a person, found by e-mail address and/or sign-in "
        "account: comments with their history, messages to teachers, course alerts, a teacher profile "
        "and the sign-in account (its addresses, provider accounts, second factors and sessions). "
        "An account's own addresses count as the person's."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", nargs="*", help="E-mail addresses the person used.")
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="USERNAME_OR_ID",
            help="A sign-in account of the person (may be given more than once).",
        )

    def handle(self, *args, email: list[str], user: list[str], **options) -> None:
        if not email and not user:
            raise CommandError("Give an e-mail address, --user USERNAME_OR_ID, or both.")
        try:
            person = privacy.find(emails=email, accounts=user)
        except privacy.UnknownAccount as error:
            raise CommandError(str(error)) from error
        data = {"asked_for": {"emails": email, "accounts": user}, **privacy.export(person)}
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder))
