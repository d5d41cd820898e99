"""What Akismet's answers do to a comment: a verdict moves it on, a report's outcome is kept.

The other half of the lifecycle (``comments/lifecycle.py`` has what people
and the form do). It lives apart because of who calls it: the tasks in
``comments/tasks.py`` ask Akismet (``comments/spam.py``) and hand the answer
here, while ``lifecycle.py`` enqueues those tasks. So this module enqueues
nothing and imports neither, and the imports run one way:
lifecycle → tasks → spam, verdicts. Like the lifecycle, each step writes its
``CommentEvent`` in the same transaction as the change. Nothing here deletes
or un-saves a comment: the worst outcome of any fault is a comment that stays
pending with the reason written down, and a re-check scheduled.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from akismet_service import api

from . import rules
from .models import Comment, CommentEvent

Kind = CommentEvent.Kind
Status = Comment.Status
REPORT_GIVE_UP_ATTEMPTS = 12
# When to ask Akismet again after it gave no verdict: soon, or much later when the key itself failed.
RECHECK_MINUTES = 20
RECHECK_KEY_PROBLEM_HOURS = 6


# --- Judged by Akismet and our rules --------------------------------------------


@transaction.atomic
def apply_verdict(comment: Comment, result: api.CheckResult, *, now: datetime, recheck: bool) -> None:
    """Record Akismet's answer and move the comment on, unless a moderator already decided."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    detail: dict[str, Any] = {"verdict": str(result.verdict), "recheck": recheck}
    if result.failure:
        detail |= {"failure": str(result.failure), "reason": result.detail}
    if result.alert_code:
        detail |= {"alert_code": result.alert_code, "alert_message": result.alert_message}
    CommentEvent.objects.record(
        locked, Kind.CHECK_FAILED if result.failure else Kind.RECHECKED if recheck else Kind.CHECKED, **detail
    )
    if result.verdict == api.Verdict.UNKNOWN:
        _schedule_recheck(locked, result, now=now)
    else:
        locked.spam_verdict = str(result.verdict)
        locked.checked_at = now
        locked.next_check_at = None
        if locked.status == Status.PENDING:
            _judge(locked, result.verdict, now=now)
    locked.save()
    comment.refresh_from_db()


def _judge(comment: Comment, verdict: api.Verdict, *, now: datetime) -> None:
    if verdict == api.Verdict.HAM:
        reason = rules.local_hold_reason(comment)
        if reason:
            comment.held_reason = reason
            CommentEvent.objects.record(comment, Kind.HELD, reason=reason)
        else:
            comment.held_reason = ""
            comment.change_status(Status.APPROVED, now=now)
            CommentEvent.objects.record(comment, Kind.APPROVED, by="akismet")
    else:
        comment.change_status(Status.SPAM, now=now)
        comment.is_discard = verdict == api.Verdict.DISCARD
        comment.held_reason = ""
        CommentEvent.objects.record(comment, Kind.SPAM, by="akismet", discard=comment.is_discard)


def _schedule_recheck(comment: Comment, result: api.CheckResult, *, now: datetime) -> None:
    reason = f"{result.failure}: {result.detail}"[:300]
    comment.check_attempts += 1
    comment.first_failure_reason = comment.first_failure_reason or reason
    comment.last_failure_reason = reason
    if comment.status != Status.PENDING:
        comment.next_check_at = None
        return
    comment.held_reason = comment.guard_reason or "no answer from Akismet yet"
    if comment.gave_up_rechecking(now):
        comment.next_check_at = None
        CommentEvent.objects.record(comment, Kind.GAVE_UP, attempts=comment.check_attempts)
        return
    if result.is_key_problem:
        delay = timedelta(hours=RECHECK_KEY_PROBLEM_HOURS)
    else:
        delay = timedelta(minutes=RECHECK_MINUTES)
    comment.next_check_at = now + delay


# --- A moderator's correction, told to Akismet ------------------------------------


def record_report(comment: Comment, outcome: api.ReportResult, *, now: datetime) -> bool:
    """Keep the outcome of sending the report waiting on ``comment``; True if it was sent.

    A failed report is kept and tried again later, with a growing gap, up to
    ``REPORT_GIVE_UP_ATTEMPTS`` times; it never undoes or delays the
    moderator's decision.
    """
    kind = comment.pending_report
    if outcome.sent:
        Comment.objects.filter(pk=comment.pk).update(pending_report="", next_report_at=None)
        CommentEvent.objects.record(comment, Kind.REPORTED, report=f"submit-{kind}")
        comment.refresh_from_db()
        return True
    attempts = comment.report_attempts + 1
    if attempts >= REPORT_GIVE_UP_ATTEMPTS:
        next_report_at = None
        pending = ""
    else:
        backoff = (
            timedelta(hours=RECHECK_KEY_PROBLEM_HOURS)
            if outcome.is_key_problem
            else min(timedelta(minutes=RECHECK_MINUTES) * 2 ** (attempts - 1), timedelta(hours=6))
        )
        next_report_at = now + backoff
        pending = kind
    Comment.objects.filter(pk=comment.pk).update(
        report_attempts=attempts, next_report_at=next_report_at, pending_report=pending
    )
    CommentEvent.objects.record(
        comment,
        Kind.REPORT_FAILED,
        report=f"submit-{kind}",
        failure=str(outcome.failure),
        reason=outcome.detail,
        retry_at=next_report_at.isoformat() if next_report_at else None,
    )
    comment.refresh_from_db()
    return False
