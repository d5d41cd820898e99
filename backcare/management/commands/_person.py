"""The person a data request is about, as both privacy commands take it: e-mail addresses and/or accounts."""

from argparse import ArgumentParser

from django.core.management.base import CommandError

from backcare import privacy


def add_person_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("email", nargs="*", help="E-mail addresses the person used.")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="USERNAME_OR_ID",
        help="A sign-in account of the person (may be given more than once).",
    )


def find_person(*, email: list[str], user: list[str]) -> privacy.Person:
    """The person with these addresses and accounts, or a CommandError saying what is wrong."""
    if not email and not user:
        raise CommandError("Give an e-mail address, --user USERNAME_OR_ID, or both.")
    try:
        return privacy.find(emails=email, accounts=user)
    except privacy.UnknownAccount as error:
        raise CommandError(str(error)) from error
