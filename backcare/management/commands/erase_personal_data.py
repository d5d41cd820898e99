from django.core.management.base import BaseCommand, CommandError

from backcare import privacy

from ._person import add_person_arguments, find_person

LINES = [
    ("comments", "Anonymised {} comment(s)"),
    ("comment_history_emptied", "Emptied the detail (warning signs, reasons) of {} comment history row(s)"),
    ("enquiries", "Deleted {} message(s) to teachers"),
    ("course_alerts", "Deleted {} course alert(s)"),
    ("failed_tasks", "Deleted {} failed background task(s) whose error named the address"),
    ("bouncing_addresses", "Deleted {} bouncing-address mark(s)"),
    ("accounts", "Deleted {} sign-in account(s)"),
    ("account_email_addresses", "Deleted {} account e-mail address(es)"),
    ("social_accounts", "Deleted {} provider account(s) (Google, Facebook, ...)"),
    ("second_factors", "Deleted {} second factor(s)"),
    ("sessions", "Signed out and deleted {} session(s)"),
]


class Command(BaseCommand):
    help = (
        "Erase everything stored about a person, found by e-mail address and/or sign-in account: "
        "comments anonymised (their warning-sign matches and hold reasons too), messages to teachers "
        "and course alerts deleted, the sign-in account deleted with its addresses, provider accounts, "
        "second factors and sessions. Nothing of anyone else changes. A member of staff's account is "
        "deleted only with --staff; a teacher profile must first be removed in the admin. "
        "Try it with --dry-run first."
    )

    def add_arguments(self, parser) -> None:
        add_person_arguments(parser)
        parser.add_argument(
            "--staff", action="store_true", help="Also delete an account that is a member of staff."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing."
        )

    def handle(self, *args, email: list[str], user: list[str], staff: bool, dry_run: bool, **options) -> None:
        person = find_person(email=email, user=user)
        try:
            erased = privacy.erase(person, allow_staff=staff, dry_run=dry_run)
        except privacy.Refused as error:
            raise CommandError(str(error)) from error
        heading = f"Erased the data of {person.describe()}:"
        if dry_run:
            heading = f"Dry run, nothing was changed. Erasing the data of {person.describe()} would do this:"
        self.stdout.write(heading)
        for key, text in LINES:
            self.stdout.write("- " + text.format(erased.counts[key]))
