import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from backcare import privacy

from ._person import add_person_arguments, find_person


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything stored about a person, found by e-mail address and/or sign-in "
        "account: comments with their history, messages to teachers, course alerts, a teacher profile "
        "and the sign-in account (its addresses, provider accounts, second factors and sessions). "
        "An account's own addresses count as the person's."
    )

    def add_arguments(self, parser) -> None:
        add_person_arguments(parser)

    def handle(self, *args, email: list[str], user: list[str], **options) -> None:
        person = find_person(email=email, user=user)
        data = {"asked_for": {"emails": email, "accounts": user}, **privacy.export(person)}
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder))
