"""What the site keeps about commenters, for how long, and answering data requests."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import lifecycle
from .lifecycle import ERASED_EMAIL, ERASED_NAME
from .models import Comment, CommentEvent


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


def export(email: str) -> list[dict[str, object]]:
    """Everything stored about the comments sent with this e-mail address."""
    rows = []
    for comment in Comment.objects.by_email(email).order_by("submitted_at", "pk"):
        rows.append(
            {
                "id": comment.pk,
                "page": comment.permalink,
                "status": comment.status,
                "name": comment.name,
                "email": comment.email,
                "website": comment.url,
                "comment": comment.text,
                "submitted_at": comment.submitted_at.isoformat(),
                "ip_address": comment.ip,
                "browser": comment.user_agent,
                "came_from": comment.referrer,
                "email_on_replies": comment.subscribed,
                "spam_check": comment.spam_verdict,
            }
        )
    return rows


def truncate_ip(ip: str | None) -> str | None:
    """Keep the network, drop the person: /24 for IPv4, /48 for IPv6."""
    if not ip:
        return None
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


@transaction.atomic
def erase(email: str) -> int:
    """Anonymise every comment sent with this address: name, e-mail, website gone, IP truncated.

    The text stays (replies may quote it); ask the editor to trash a comment
    if its text itself identifies the person.
    """
    comments = list(Comment.objects.by_email(email))
    for comment in comments:
        comment.name = ERASED_NAME
        comment.email = ERASED_EMAIL
        comment.url = ""
        comment.ip = truncate_ip(comment.ip)
        comment.user_agent = ""
        comment.referrer = ""
        comment.subscribed = False
        comment.save(update_fields=["name", "email", "url", "ip", "user_agent", "referrer", "subscribed"])
        CommentEvent.objects.record(comment, CommentEvent.Kind.ERASED)
    return len(comments)
