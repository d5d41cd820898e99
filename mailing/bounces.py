"""Bounce messages (RFC 3464 delivery status notifications) in, "do not mail" marks out.

``failures(message)`` reads one message and returns the recipients it reports
as permanently failed (``Action: failed`` with a 5.x.x status); delays and
temporary failures (4.x.x) are ignored, as the mail server is still trying.
``record`` marks those addresses; ``deliverable`` is what every sender of mail
to readers asks before sending; ``clear`` removes a mark.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from typing import BinaryIO, cast

from django.utils import timezone

from .models import BouncingAddress


@dataclass(frozen=True)
class Failure:
    email: str
    status: str
    diagnostic: str


def _recipient(fields: Message) -> str:
    """The address from ``Final-Recipient: rfc822; someone@example.org`` (or Original-Recipient)."""
    for name in ("Final-Recipient", "Original-Recipient"):
        value = str(fields.get(name, ""))
        kind, _, address = value.partition(";")
        if address and kind.strip().lower() == "rfc822":
            return parseaddr(address.strip())[1].strip().lower()
    return ""


def failures(message: Message) -> list[Failure]:
    """The permanent delivery failures a delivery status notification reports; [] for any other message."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The first block is about the message; each further block is about one recipient.
        blocks = cast("list[Message]", part.get_payload() or [])
        for fields in blocks[1:]:
            action = str(fields.get("Action", "")).strip().lower()
            status = str(fields.get("Status", "")).strip().split(" ")[0]
            address = _recipient(fields)
            if action == "failed" and status.startswith("5") and "@" in address:
                diagnostic = " ".join(str(fields.get("Diagnostic-Code", "")).split())
                found.append(Failure(email=address, status=status, diagnostic=diagnostic[:300]))
    return found


def read_messages(source: Path | BinaryIO) -> Iterator[Message]:
    """Every message of a Maildir folder, an mbox file, or one message from a stream (stdin)."""
    if isinstance(source, Path):
        box = mailbox.Maildir(source, factory=None, create=False) if source.is_dir() else mailbox.mbox(source)
        try:
            yield from box
        finally:
            box.close()
    else:
        yield email.message_from_binary_file(source, policy=email.policy.compat32)


def record(found: Iterable[Failure], *, now: datetime | None = None) -> list[str]:
    """Mark each failed address as bouncing (again); the addresses marked."""
    now = now or timezone.now()
    marked = []
    for failure in found:
        BouncingAddress.objects.update_or_create(
            email=failure.email,
            defaults={"last_bounced_at": now, "status": failure.status, "diagnostic": failure.diagnostic},
        )
        marked.append(failure.email)
    return marked


def is_bouncing(address: str) -> bool:
    return BouncingAddress.objects.of([address]).exists()


def deliverable(addresses: Iterable[str]) -> list[str]:
    """The addresses that may be mailed: those not marked as bouncing, in the order given."""
    addresses = list(addresses)
    bouncing = set(BouncingAddress.objects.of(addresses).values_list("email", flat=True))
    return [address for address in addresses if address.strip().lower() not in bouncing]


def clear(addresses: Iterable[str]) -> int:
    """Mail these addresses again (the person fixed their mailbox); how many marks were removed."""
    deleted, _ = BouncingAddress.objects.of(addresses).delete()
    return deleted
