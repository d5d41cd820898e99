"""A moderator's decisions: Approve, Spam, Not spam, Trash. The admin's actions call these.

A decision takes effect at once. When it contradicts Akismet (spam that
Akismet let through, or a genuine comment it called spam) a report is queued
for Akismet (``submit-spam`` / ``submit-ham``) and sent by a task after
commit; a failed report is retried later and never holds the moderator up.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from . import tasks
from .models import Comment, CommentEvent
from .pipeline import record

Kind = CommentEvent.Kind
AKISMET_SAID_SPAM = {"spam", "discard"}


def _decide(
    comments: Iterable[Comment],
    *,
    status: str,
    kind: str,
    actor: AbstractBaseUser | None,
    report: str = "",
) -> int:
    changed = 0
    with transaction.atomic():
        for comment in comments:
            if comment.status == status and not report:
                continue
            previous = comment.status
            comment.status = status
            comment.next_check_at = None
            comment.held_reason = ""
            if status != Comment.Status.SPAM:
                comment.is_discard = False
            if report:
                comment.pending_report = report
                comment.report_attempts = 0
                comment.next_report_at = timezone.now()
            comment.save()
            record(
                comment,
                kind,
                actor=actor,
                previous=previous,
                **({"report": f"submit-{report}"} if report else {}),
            )
            if report:
                tasks.enqueue_report(comment)
            if status == Comment.Status.APPROVED:
                tasks.enqueue_notifications(comment)
            changed += 1
    return changed


def _publish(comments: Iterable[Comment], *, kind: str, actor: AbstractBaseUser | None) -> int:
    """Approve; if Akismet had called a comment spam, that false positive is worth reporting."""
    changed = 0
    for comment in comments:
        if comment.status == Comment.Status.APPROVED:
            continue
        report = Comment.Report.HAM if comment.spam_verdict in AKISMET_SAID_SPAM else ""
        changed += _decide([comment], status=Comment.Status.APPROVED, kind=kind, actor=actor, report=report)
    return changed


def approve(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Publish."""
    return _publish(comments, kind=Kind.APPROVED, actor=actor)


def mark_spam(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Into the spam folder; tell Akismet unless it already knew."""
    changed = 0
    for comment in comments:
        report = "" if comment.spam_verdict in AKISMET_SAID_SPAM else Comment.Report.SPAM
        if comment.status == Comment.Status.SPAM:
            continue
        changed += _decide([comment], status=Comment.Status.SPAM, kind=Kind.SPAM, actor=actor, report=report)
    return changed


def mark_not_spam(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Rescue from spam: tell Akismet it was wrong (when it said spam), then publish."""
    return _publish(comments, kind=Kind.NOT_SPAM, actor=actor)


def trash(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Out of sight, without telling Akismet anything (off-topic is not spam)."""
    return _decide(comments, status=Comment.Status.TRASH, kind=Kind.TRASH, actor=actor)
