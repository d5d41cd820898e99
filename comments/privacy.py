"""What the site keeps about commenters, for how long, and answering data requests."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import lifecycle
from .lifecycle import ERASED_EMAIL, ERASED_NAME
from .models import Comment, CommentEvent, CommentQuerySet


def purge(*, now: datetime | None = None) -> dict[str, int]:
    """Clear IP and browser after ``COMMENTS_KEEP_IP_DAYS``; delete spam and trash whose time is up
    (``lifecycle.purge_decided``)."""
    now = now or timezone.now()
    ip_cutoff = now - timedelta(days=settings.COMMENTS_KEEP_IP_DAYS)
    cleared = (
        Comment.objects.filter(submitted_at__lt=ip_cutoff)
        .filter(Q(ip__isnull=False) | ~Q(user_agent=""))
        .update(ip=None, user_agent="")
    )
    decided = lifecycle.purge_decided(now=now)
    return {"ip_cleared": cleared, "spam_deleted": decided["deleted"], "spam_emptied": decided["emptied"]}


def matching(emails: Iterable[str] = (), *, user_ids: Iterable[int] = ()) -> CommentQuerySet:
    """Every comment sent with one of these addresses (any case) or while signed in as one of these
    accounts, whatever address was typed in the form."""
    condition = Q(user_id__in=list(user_ids))
    for email in {email.strip().lower() for email in emails} - {"", ERASED_EMAIL}:
        condition |= Q(email__iexact=email)
    return Comment.objects.filter(condition)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


# Fields exported under a plainer name than the column's; every other field goes out under its own.
EXPORT_NAMES = {
    "text": "comment",
    "url": "website",
    "ip": "ip_address",
    "user_agent": "browser",
    "referrer": "came_from",
    "permalink": "page",
    "subscribed": "email_on_replies",
    "spam_verdict": "spam_check",
    "user": "signed_in_as",
}


def _event_row(event: CommentEvent, user_ids: set[int]) -> dict[str, object]:
    by = None
    if event.actor_id is not None:
        by = "you" if event.actor_id in user_ids else "a moderator"
    return {"at": _plain(event.at), "what": event.kind, "by": by, "detail": event.detail}


def export(*emails: str, user_ids: Iterable[int] = ()) -> list[dict[str, object]]:
    """Everything stored about the comments sent with these addresses or by these accounts: every
    field of the comment (the reasons it was held, its language, who it was signed in as) and its
    whole history, warning-sign matches included."""
    user_ids = set(user_ids)
    rows = []
    comments = matching(emails, user_ids=user_ids).prefetch_related("events").order_by("submitted_at", "pk")
    for comment in comments:
        row: dict[str, object] = {"id": comment.pk}
        for field in Comment._meta.concrete_fields:
            if field.primary_key:
                continue
            row[EXPORT_NAMES.get(field.name, field.name)] = _plain(getattr(comment, field.attname))
        row["history"] = [_event_row(event, user_ids) for event in comment.events.all()]
        rows.append(row)
    return rows


def truncate_ip(ip: str | None) -> str | None:
    """Keep the network, drop the person: /24 for IPv4, /48 for IPv6."""
    if not ip:
        return None
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


ERASED_FIELDS = [
    "name",
    "email",
    "url",
    "ip",
    "user_agent",
    "referrer",
    "subscribed",
    "user",
    "held_reason",
    "guard_reason",
]


@transaction.atomic
def erase(*emails: str, user_ids: Iterable[int] = ()) -> dict[str, int]:
    """Anonymise every comment sent with these addresses or by these accounts.

    Name, e-mail, website, browser and referrer go, the IP is truncated, the
    link to the account is cut, and the reasons it was held and the detail of
    every history entry (warning-sign matches are health data) are emptied;
    what happened and when stays, and an "erased" entry is added. The text
    stays (replies may quote it); ask the editor to trash a comment if its
    text itself identifies the person. Each comment is saved one by one so
    that the pages showing it are retired from the cache.
    """
    user_ids = set(user_ids)
    comments = list(matching(emails, user_ids=user_ids))
    for comment in comments:
        comment.name = ERASED_NAME
        comment.email = ERASED_EMAIL
        comment.url = ""
        comment.ip = truncate_ip(comment.ip)
        comment.user_agent = ""
        comment.referrer = ""
        comment.subscribed = False
        comment.user = None
        comment.held_reason = ""
        comment.guard_reason = ""
        comment.save(update_fields=ERASED_FIELDS)
    histories = CommentEvent.objects.filter(comment__in=comments)
    emptied = histories.exclude(detail={}).update(detail={})
    # Whatever the accounts did (posting, or moderating as staff) keeps its entry, without the name.
    CommentEvent.objects.filter(actor_id__in=user_ids).update(actor=None)
    for comment in comments:
        CommentEvent.objects.record(comment, CommentEvent.Kind.ERASED)
    return {"comments": len(comments), "history_emptied": emptied}
