"""What the site keeps about commenters, for how long, and answering data requests."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Comment, CommentEvent

ERASED_NAME = "(removed)"
ERASED_EMAIL = "erased@invalid"  # a syntactically valid address that can never deliver


def purge(*, now: datetime | None = None) -> dict[str, int]:
    """Clear IP and browser after ``COMMENTS_KEEP_IP_DAYS``; delete old spam and blatant spam.

    Spam with replies under it (possible after a moderator changed their
    mind) is emptied instead of deleted, so the replies stay in place.
    """
    now = now or timezone.now()
    ip_cutoff = now - timedelta(days=settings.COMMENTS_KEEP_IP_DAYS)
    cleared = (
        Comment.objects.filter(submitted_at__lt=ip_cutoff)
        .filter(Q(ip__isnull=False) | ~Q(user_agent=""))
        .update(ip=None, user_agent="")
    )
    old_spam = Comment.objects.filter(status=Comment.Status.SPAM).filter(
        Q(is_discard=True, submitted_at__lt=now - timedelta(days=settings.COMMENTS_KEEP_DISCARD_DAYS))
        | Q(submitted_at__lt=now - timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS))
    )
    with transaction.atomic():
        with_replies = old_spam.filter(replies__isnull=False).distinct()
        emptied = Comment.objects.filter(pk__in=with_replies.values("pk")).update(
            name=ERASED_NAME, email=ERASED_EMAIL, url="", text="", ip=None, user_agent="", referrer=""
        )
        deleted, _ = old_spam.filter(replies__isnull=True).delete()
    return {"ip_cleared": cleared, "spam_deleted": deleted, "spam_emptied": emptied}


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
        CommentEvent.objects.create(comment=comment, kind=CommentEvent.Kind.ERASED)
    return len(comments)
