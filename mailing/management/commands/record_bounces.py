import sys
from pathlib import Path
from typing import BinaryIO

from django.core.management.base import BaseCommand

from mailing import bounces


class Command(BaseCommand):
    help = (
        "Read bounce messages (RFC 3464 delivery status notifications) from Maildir folders or mbox "
        "files, or one message from standard input, and stop mailing the addresses that failed for good."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Maildir folders or mbox files; none: stdin.")

    def handle(self, *, paths: list[Path], **options) -> None:
        sources: list[Path | BinaryIO] = [*paths] or [sys.stdin.buffer]
        marked = []
        for source in sources:
            for message in bounces.read_messages(source):
                marked += bounces.record(bounces.failures(message))
        for address in sorted(set(marked)):
            self.stdout.write(f"Bouncing, no longer mailed: {address}")
