"""E-mail about comments: to moderators, to the page's author, to people who asked for replies.

Each ``notify_*`` function builds and sends one message from what it is given
(recipients, the site's address, the mailer alias) and returns it; ``send_due``
decides which are due for a comment and makes sure each is sent once, however
often it runs. Sent through Django's ``MAILERS`` (``settings.MAILERS``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mailing import bounces

from . import targets, tokens
from .models import Comment, CommentEvent

logger = logging.getLogger(__name__)


def _send(
    subject: str, template: str, context: dict, *, to: Sequence[str], using: str = "default"
) -> EmailMessage:
    body = render_to_string(template, {"site_name": "BackCare", **context})
    # Header injection is impossible (Django refuses newlines), but a name
    # with a line break would make the send fail: keep the subject on one line.
    message = EmailMessage(" ".join(subject.split()), body, to=list(to))
    message.send(using=using)
    return message


def notify_moderators(
    comment: Comment,
    *,
    target: Model | None,
    recipients: Sequence[str],
    site_url: str,
    using: str = "default",
) -> EmailMessage | None:
    """One e-mail per held comment, once Akismet's verdict or a failed check is known (in the site's language)."""
    if not recipients:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return _notify_moderators(
            comment, target=target, recipients=recipients, site_url=site_url, using=using
        )


def _notify_moderators(
    comment: Comment, *, target: Model | None, recipients: Sequence[str], site_url: str, using: str
) -> EmailMessage:
    admin_url = site_url + reverse("admin:comments_comment_change", args=[comment.pk])
    queue_url = site_url + reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    return _send(
        _("[BackCare] Please moderate a comment on “%(target)s”") % {"target": target},
        "comments/email/moderate.txt",
        {
            "comment": comment,
            "target": target,
            "admin_url": admin_url,
            "queue_url": queue_url,
            "site_url": site_url,
            "waiting": waiting_by_reason(),
        },
        to=recipients,
        using=using,
    )


def notify_author(
    comment: Comment, *, target: Model | None, recipient: str, site_url: str, using: str = "default"
) -> EmailMessage:
    """The page's author hears about each approved comment on it (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send(
            _("[BackCare] New comment on “%(target)s”") % {"target": target},
            "comments/email/author.txt",
            {"comment": comment, "target": target, "comment_url": site_url + comment.get_absolute_url()},
            to=[recipient],
            using=using,
        )


def notify_subscriber(
    reply: Comment, *, parent: Comment, target: Model | None, site_url: str, using: str = "default"
) -> EmailMessage:
    """Someone replied to a comment whose author asked to hear about replies.

    In the language the subscriber wrote their comment in, with links to the pages in it.
    """
    with translation.override(parent.language):
        return _notify_subscriber(reply, parent=parent, target=target, site_url=site_url, using=using)


def _notify_subscriber(
    reply: Comment, *, parent: Comment, target: Model | None, site_url: str, using: str
) -> EmailMessage:
    unsubscribe_url = site_url + reverse("comments:unsubscribe", args=[tokens.unsubscribe_token(parent.pk)])
    return _send(
        _("[BackCare] %(name)s replied to your comment on “%(target)s”")
        % {"name": reply.name, "target": target},
        "comments/email/reply.txt",
        {
            "reply": reply,
            "parent": parent,
            "target": target,
            "reply_url": site_url + reply.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url,
        },
        to=[parent.email],
        using=using,
    )


def waiting_by_reason() -> list[tuple[str, int]]:
    """The moderation queue counted by why each comment waits, largest first (for the moderator e-mail)."""
    rows = (
        Comment.objects.held()
        .moderation_queue()
        .values_list("held_reason")
        .annotate(count=Count("pk"))
        .order_by("-count", "held_reason")
    )
    return [(reason or _("no reason recorded"), count) for reason, count in rows]


def _claim(comment: Comment, field: str) -> bool:
    """Mark a kind of e-mail as sent for this comment; False if it already was."""
    return Comment.objects.filter(pk=comment.pk, **{field: None}).update(**{field: timezone.now()}) == 1


def _release(comment: Comment, field: str) -> None:
    Comment.objects.filter(pk=comment.pk).update(**{field: None})


def _moderators_may_be_told(comment: Comment) -> bool:
    """Held, once Akismet's verdict (or a failed check) is known."""
    verdict_known = comment.checked_at is not None or comment.check_attempts > 0
    return comment.status == Comment.Status.PENDING and verdict_known


def may_be_due(comment: Comment) -> bool:
    """Whether ``send_due`` could send anything for ``comment`` as it is now.

    Spam and trash never get e-mail, so the check of a spam post enqueues no
    e-mail task (``comments/tasks.py``): in a spam wave that is one task, its
    row and its run, less per post. A moderator who later publishes one
    enqueues its e-mail then (``lifecycle._decide``).
    """
    return comment.status == Comment.Status.APPROVED or _moderators_may_be_told(comment)


def send_due(comment: Comment, *, site_url: str | None = None) -> list[str]:
    """Send whatever e-mail is now due for ``comment``; each kind at most once. Returns what was sent."""
    site_url = site_url if site_url is not None else settings.SITE_URL
    sent: list[str] = []
    target = comment.target
    if _moderators_may_be_told(comment) and _claim(comment, "moderators_notified_at"):
        try:
            if notify_moderators(
                comment, target=target, recipients=settings.COMMENTS_MODERATORS, site_url=site_url
            ):
                sent.append("moderators")
        except Exception:
            _release(comment, "moderators_notified_at")
            raise
    if comment.status == Comment.Status.APPROVED and _claim(comment, "approval_notified_at"):
        try:
            sent.extend(_send_approved(comment, target=target, site_url=site_url))
        except Exception:
            _release(comment, "approval_notified_at")
            raise
    if sent:
        CommentEvent.objects.record(comment, CommentEvent.Kind.NOTIFIED, sent=sent)
    return sent


def _send_approved(comment: Comment, *, target: Model | None, site_url: str) -> list[str]:
    sent = []
    author = targets.author_email(target)
    if settings.COMMENTS_NOTIFY_AUTHOR and author and author.lower() != comment.email.lower():
        notify_author(comment, target=target, recipient=author, site_url=site_url)
        sent.append("author")
    parent = comment.parent
    if (
        parent is not None
        and parent.subscribed
        and parent.status == Comment.Status.APPROVED
        and parent.email
        and parent.email.lower() != comment.email.lower()
        # Mail to the address bounced (mailing.bounces): no more reply notifications.
        and bounces.deliverable([parent.email])
    ):
        notify_subscriber(comment, parent=parent, target=target, site_url=site_url)
        sent.append("subscriber")
    return sent
