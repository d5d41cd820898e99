"""The spam pipeline: from a saved, pending comment to a published, held or spam one.

Every function takes its Akismet client (and clock) as arguments; the tasks
in ``comments/tasks.py`` build the real ones. Nothing here deletes or
un-saves a comment: the worst outcome of any fault is a comment that stays
pending with the reason written down, and a re-check scheduled.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import akismet
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from . import spam, targets
from .forms import HONEYPOT_FIELD
from .models import Comment, CommentEvent

logger = logging.getLogger(__name__)

Kind = CommentEvent.Kind
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
RECHECK_REASON = "recheck_queue"
REPORT_GIVE_UP_ATTEMPTS = 12


def record(
    comment: Comment, kind: str, *, actor: AbstractBaseUser | None = None, **detail: object
) -> CommentEvent:
    """Write one line of the comment's audit history."""
    return CommentEvent.objects.create(
        comment=comment, kind=kind, actor=actor if actor and actor.is_authenticated else None, detail=detail
    )


def submission_for(comment: Comment, *, recheck_reason: str = "") -> spam.Submission:
    """What Akismet is told about a comment: the full context WordPress sends."""
    target = comment.target
    return spam.Submission(
        user_ip=comment.ip or "",
        content=comment.text,
        comment_type="reply" if comment.parent_id else "comment",
        user_agent=comment.user_agent,
        referrer=comment.referrer,
        permalink=comment.permalink,
        author=comment.name,
        author_email=comment.email,
        author_url=comment.url,
        comment_date_gmt=comment.submitted_at,
        post_modified_gmt=targets.modified_at(target) if target is not None else None,
        honeypot_field_name=HONEYPOT_FIELD,
        recheck_reason=recheck_reason,
        language=comment.language,
    )


def local_hold_reason(comment: Comment) -> str:
    """Why a comment Akismet calls ham still waits for a person, or "" to publish it."""
    if settings.COMMENTS_HOLD_FIRST_TIME and not (
        Comment.objects.approved().by_email(comment.email).exclude(pk=comment.pk).exists()
    ):
        return "first comment from this e-mail address"
    limit = settings.COMMENTS_HOLD_LINKS
    if limit and len(LINK.findall(comment.text)) >= limit:
        return f"{limit} or more links"
    haystack = " ".join([comment.name, comment.email, comment.url, comment.text, comment.user_agent]).lower()
    for word in settings.COMMENTS_MODERATION_WORDS:
        if word.strip() and word.strip().lower() in haystack:
            return "contains a moderation word"
    return ""


def check_comment(
    comment: Comment,
    *,
    client: akismet.SyncClient | None,
    alerts: spam.AlertRecorder | None = None,
    now: datetime | None = None,
    recheck_reason: str = "",
) -> spam.CheckResult:
    """Ask Akismet about a pending comment and act on the answer."""
    result = spam.check(submission_for(comment, recheck_reason=recheck_reason), client=client, alerts=alerts)
    apply_result(comment, result, now=now or timezone.now(), recheck=bool(recheck_reason))
    return result


@transaction.atomic
def apply_result(comment: Comment, result: spam.CheckResult, *, now: datetime, recheck: bool) -> None:
    """Record Akismet's answer and move the comment on, unless a moderator already decided."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    record(
        locked,
        Kind.CHECK_FAILED if result.failure else Kind.RECHECKED if recheck else Kind.CHECKED,
        verdict=str(result.verdict),
        recheck=recheck,
        **({"failure": str(result.failure), "reason": result.detail} if result.failure else {}),
        **(
            {"alert_code": result.alert_code, "alert_message": result.alert_message}
            if result.alert_code
            else {}
        ),
    )
    if result.verdict == spam.Verdict.UNKNOWN:
        _schedule_recheck(locked, result, now=now)
    else:
        locked.spam_verdict = str(result.verdict)
        locked.checked_at = now
        locked.next_check_at = None
        if locked.status == Comment.Status.PENDING:
            _decide(locked, result.verdict)
    locked.save()
    comment.refresh_from_db()


def _decide(comment: Comment, verdict: spam.Verdict) -> None:
    if verdict == spam.Verdict.HAM:
        reason = local_hold_reason(comment)
        if reason:
            comment.held_reason = reason
            record(comment, Kind.HELD, reason=reason)
        else:
            comment.held_reason = ""
            comment.status = Comment.Status.APPROVED
            record(comment, Kind.APPROVED, by="akismet")
    else:
        comment.status = Comment.Status.SPAM
        comment.is_discard = verdict == spam.Verdict.DISCARD
        comment.held_reason = ""
        record(comment, Kind.SPAM, by="akismet", discard=comment.is_discard)


def _schedule_recheck(comment: Comment, result: spam.CheckResult, *, now: datetime) -> None:
    reason = f"{result.failure}: {result.detail}"[:300]
    comment.check_attempts += 1
    comment.first_failure_reason = comment.first_failure_reason or reason
    comment.last_failure_reason = reason
    if comment.status != Comment.Status.PENDING:
        comment.next_check_at = None
        return
    comment.held_reason = "no answer from Akismet yet"
    if comment.gave_up_rechecking(now):
        comment.next_check_at = None
        record(comment, Kind.GAVE_UP, attempts=comment.check_attempts)
        return
    if result.is_key_problem:
        delay = timedelta(hours=settings.COMMENTS_RECHECK_KEY_PROBLEM_HOURS)
    else:
        delay = timedelta(minutes=settings.COMMENTS_RECHECK_MINUTES)
    comment.next_check_at = now + delay


def claim(comment: Comment, *, field: str, now: datetime, lease: timedelta = timedelta(minutes=5)) -> bool:
    """Take a due comment for this worker only, so two workers never check or report it twice.

    A compare-and-set on the schedule field works the same on SQLite and
    PostgreSQL; if the worker dies, the lease runs out and the next pass
    picks the comment up again.
    """
    current = getattr(comment, field)
    claimed = Comment.objects.filter(pk=comment.pk, **{field: current}).update(**{field: now + lease})
    return claimed == 1


def recheck_due(
    *,
    client: akismet.SyncClient | None,
    alerts: spam.AlertRecorder | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[Comment]:
    """One re-check pass: at most ``COMMENTS_RECHECK_BATCH`` comments whose re-check is due."""
    now = now or timezone.now()
    limit = limit or settings.COMMENTS_RECHECK_BATCH
    checked = []
    for comment in list(Comment.objects.due_for_recheck(now)[:limit]):
        if not claim(comment, field="next_check_at", now=now):
            continue
        check_comment(comment, client=client, alerts=alerts, now=now, recheck_reason=RECHECK_REASON)
        checked.append(comment)
    return checked


def report_to_akismet(
    comment: Comment, *, client: akismet.SyncClient | None, now: datetime | None = None
) -> bool:
    """Send the moderator's correction (submit-spam / submit-ham) waiting on this comment.

    A failed report is kept and tried again later (``report_due``); it never
    undoes or delays the moderator's decision.
    """
    now = now or timezone.now()
    kind = comment.pending_report
    if not kind:
        return True
    submission = submission_for(comment)
    submit = spam.submit_spam if kind == Comment.Report.SPAM else spam.submit_ham
    outcome = submit(submission, client=client)
    if outcome.sent:
        Comment.objects.filter(pk=comment.pk).update(pending_report="", next_report_at=None)
        record(comment, Kind.REPORTED, report=f"submit-{kind}")
        comment.refresh_from_db()
        return True
    attempts = comment.report_attempts + 1
    if attempts >= REPORT_GIVE_UP_ATTEMPTS:
        next_report_at = None
        pending = ""
    else:
        backoff = (
            timedelta(hours=settings.COMMENTS_RECHECK_KEY_PROBLEM_HOURS)
            if outcome.is_key_problem
            else min(
                timedelta(minutes=settings.COMMENTS_RECHECK_MINUTES) * 2 ** (attempts - 1), timedelta(hours=6)
            )
        )
        next_report_at = now + backoff
        pending = kind
    Comment.objects.filter(pk=comment.pk).update(
        report_attempts=attempts, next_report_at=next_report_at, pending_report=pending
    )
    record(
        comment,
        Kind.REPORT_FAILED,
        report=f"submit-{kind}",
        failure=str(outcome.failure),
        reason=outcome.detail,
        retry_at=next_report_at.isoformat() if next_report_at else None,
    )
    comment.refresh_from_db()
    return False


def report_due(
    *, client: akismet.SyncClient | None, now: datetime | None = None, limit: int | None = None
) -> list[Comment]:
    """Retry reports to Akismet that failed before."""
    now = now or timezone.now()
    limit = limit or settings.COMMENTS_RECHECK_BATCH
    reported = []
    for comment in list(Comment.objects.due_for_report(now)[:limit]):
        if not claim(comment, field="next_report_at", now=now):
            continue
        comment.refresh_from_db()
        report_to_akismet(comment, client=client, now=now)
        reported.append(comment)
    return reported
