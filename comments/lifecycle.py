"""Every change of a comment's status, and the audit row that goes with it.

A comment is *received* (pending, or published at once for a signed-in
member of staff), then *judged* by Akismet's verdict and our own hold rules
(``comments/rules.py``), or *scheduled* for a re-check when Akismet could not
answer; a moderator *decides* (Approve, Spam, Not spam, Trash); the retention
rules *purge* what has been spam or trash for long enough. Each step
writes its ``CommentEvent`` in the same transaction as the change, so the
history can never disagree with the comment. Judging is in
``comments/verdicts.py``, because the tasks that this module enqueues run it;
the rest is here.

Only Akismet's verdict or a person files a comment as spam. A form guard
that doubts a post (too fast, a member of staff's name) holds it for a
person instead, with the reason shown in the moderation queue.

Work that leaves the process (asking Akismet, e-mail) is not done here: it
is enqueued on commit through ``tasks.enqueue_on_commit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from akismet_service import api

from . import rules, tasks
from .models import Comment, CommentEvent

Kind = CommentEvent.Kind
Status = Comment.Status
AKISMET_SAID_SPAM = {api.Verdict.SPAM, api.Verdict.DISCARD}
ERASED_NAME = "(removed)"
ERASED_EMAIL = "erased@invalid"  # a syntactically valid address that can never deliver


# --- Received -----------------------------------------------------------------


@transaction.atomic
def receive(
    comment: Comment, *, user: AbstractBaseUser | None = None, doubt: rules.Doubt | None = None
) -> Comment:
    """Save a new comment from the form and decide its first status.

    A signed-in member of staff is published at once with their badge.
    Anyone else's comment is saved pending and checked by Akismet after
    commit; a doubt (or a member of staff's name used by someone not signed
    in) keeps it for a person whatever Akismet says.
    """
    now = timezone.now()
    comment.submitted_at = comment.status_changed_at = now
    comment.status = Status.PENDING
    if user is not None and user.is_authenticated:
        comment.user_id = user.pk
    comment.badge = rules.staff_badge(user)
    if (
        not comment.badge
        and doubt is None
        and rules.uses_staff_identity(name=comment.name, email=comment.email)
    ):
        doubt = rules.Doubt(rules.STAFF_IDENTITY)
    if doubt is not None:
        comment.guard_reason = comment.held_reason = doubt.reason
    comment.save()
    CommentEvent.objects.record(comment, Kind.POSTED, actor=user, signed_in=comment.user_id is not None)
    if comment.badge:
        comment.change_status(Status.APPROVED, now=now)
        comment.save(update_fields=["status", "status_changed_at"])
        CommentEvent.objects.record(comment, Kind.APPROVED, actor=user, by="staff", badge=comment.badge)
        tasks.enqueue_on_commit(tasks.send_notifications, comment.pk)
        return comment
    if doubt is not None:
        # The doubt's own facts (what matched, how fast): never an ``actor``.
        detail = cast(dict[str, Any], doubt.detail)
        CommentEvent.objects.record(comment, doubt.kind, reason=doubt.reason, **detail)
    tasks.enqueue_on_commit(tasks.check_comment, comment.pk)
    return comment


# --- Edited by its writer -------------------------------------------------------


@transaction.atomic
def edit(
    comment: Comment,
    *,
    text: str,
    doubt: rules.Doubt | None = None,
    user: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Comment:
    """Replace a comment's text at its writer's request (``edits.refusal`` said they may).

    The new text is saved first, with the old one kept in the history, so no
    fault after this loses the edit. A member of staff's comment (with its
    badge) stays published, as when it was posted. Anyone else's goes back to
    pending and is checked again by Akismet (``recheck_reason=edit``, a task
    on commit) and our hold rules: an edit must not slip past the checks the
    first text passed. A doubt about the new text (warning signs) holds it for
    a person; an old doubt goes once a person or Akismet had published it.
    """
    now = now or timezone.now()
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    previous_text, previous_status = locked.text, locked.status
    locked.text = text
    locked.edited_at = now
    if not locked.badge:
        if previous_status == Status.APPROVED:
            locked.guard_reason = ""
        if doubt is not None:
            locked.guard_reason = doubt.reason
        locked.change_status(Status.PENDING, now=now)
        locked.held_reason = locked.guard_reason
        locked.spam_verdict = api.Verdict.PENDING
        locked.is_discard = False
        locked.checked_at = locked.next_check_at = None
        locked.check_attempts = 0
    locked.save()
    CommentEvent.objects.record(
        locked, Kind.EDITED, actor=user, previous_text=previous_text, previous_status=previous_status
    )
    if doubt is not None and not locked.badge:
        CommentEvent.objects.record(
            locked, doubt.kind, reason=doubt.reason, **cast(dict[str, Any], doubt.detail)
        )
    if not locked.badge:
        tasks.enqueue_on_commit(tasks.check_edited_comment, locked.pk)
    return locked


# --- Decided by a moderator -----------------------------------------------------


def _decide(
    comments: Iterable[Comment],
    *,
    status: str,
    kind: str,
    actor: AbstractBaseUser | None,
    report_when: Set[str] | None = None,
) -> int:
    """Apply one moderator decision to each comment not already in ``status``.

    ``report_when``: the Akismet verdicts that this decision contradicts; a
    comment with one of them gets a report queued (submit-spam / submit-ham).
    """
    changed = 0
    now = timezone.now()
    report_for: dict[str, str] = {Status.SPAM: Comment.Report.SPAM, Status.APPROVED: Comment.Report.HAM}
    report = report_for.get(status, "")
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                continue
            previous = comment.change_status(status, now=now)
            comment.next_check_at = None
            comment.held_reason = ""
            if status != Status.SPAM:
                comment.is_discard = False
            reports = report_when is not None and comment.spam_verdict in report_when
            if reports:
                comment.pending_report = report
                comment.report_attempts = 0
                comment.next_report_at = now
            comment.save()
            CommentEvent.objects.record(
                comment,
                kind,
                actor=actor,
                previous=previous,
                **({"report": f"submit-{report}"} if reports else {}),
            )
            if reports:
                tasks.enqueue_on_commit(tasks.report_comment, comment.pk)
            if status == Status.APPROVED:
                tasks.enqueue_on_commit(tasks.send_notifications, comment.pk)
            changed += 1
    return changed


def approve(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Publish; if Akismet had called a comment spam, that false positive is worth reporting."""
    return _decide(
        comments, status=Status.APPROVED, kind=Kind.APPROVED, actor=actor, report_when=AKISMET_SAID_SPAM
    )


def mark_not_spam(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Rescue from spam: tell Akismet it was wrong (when it said spam), then publish."""
    return _decide(
        comments, status=Status.APPROVED, kind=Kind.NOT_SPAM, actor=actor, report_when=AKISMET_SAID_SPAM
    )


def mark_spam(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Into the spam folder; tell Akismet unless it already knew."""
    return _decide(
        comments,
        status=Status.SPAM,
        kind=Kind.SPAM,
        actor=actor,
        report_when={api.Verdict.PENDING, api.Verdict.HAM},
    )


def trash(comments: Iterable[Comment], *, actor: AbstractBaseUser | None) -> int:
    """Out of sight, without telling Akismet anything (off-topic is not spam)."""
    return _decide(comments, status=Status.TRASH, kind=Kind.TRASH, actor=actor)


# --- Purged by the retention rules ------------------------------------------------


def purge_decided(*, now: datetime) -> dict[str, int]:
    """Delete spam and trash that have been spam or trash for longer than the privacy page says.

    Counted from when the comment *became* spam or trash (``status_changed_at``),
    not from when it was written, so a moderator's mistake can be undone for the
    whole period. Spam with replies under it (possible after a moderator changed
    their mind) is emptied instead of deleted, so the replies stay in place.
    """
    days = (
        settings.COMMENTS_KEEP_SPAM_DAYS,
        settings.COMMENTS_KEEP_DISCARD_DAYS,
        settings.COMMENTS_KEEP_TRASH_DAYS,
    )
    spam_days, discard_days, trash_days = days
    due = Comment.objects.filter(
        Q(status=Status.SPAM, is_discard=True, status_changed_at__lt=now - timedelta(days=discard_days))
        | Q(status=Status.SPAM, status_changed_at__lt=now - timedelta(days=spam_days))
        | Q(status=Status.TRASH, status_changed_at__lt=now - timedelta(days=trash_days))
    )
    with transaction.atomic():
        emptied = 0
        for comment in due.filter(replies__isnull=False).exclude(email=ERASED_EMAIL).distinct():
            Comment.objects.filter(pk=comment.pk).update(
                name=ERASED_NAME, email=ERASED_EMAIL, url="", text="", ip=None, user_agent="", referrer=""
            )
            CommentEvent.objects.record(comment, Kind.PURGED, status=comment.status)
            emptied += 1
        _, per_model = due.filter(replies__isnull=True).delete()
    return {"deleted": per_model.get(Comment._meta.label, 0), "emptied": emptied}
