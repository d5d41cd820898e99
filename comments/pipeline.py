"""The spam pipeline: asking Akismet about comments, and telling it when a moderator disagreed.

This module only talks to Akismet (through ``akismet_service``); what the
answer means for a comment is decided in ``comments/lifecycle.py``. Every
function takes its Akismet client (and clock) as arguments; the tasks in
``comments/tasks.py`` build the real ones. Nothing here deletes or un-saves a
comment: the worst outcome of any fault is a comment that stays pending with
the reason written down, and a re-check scheduled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import akismet
from django.conf import settings
from django.utils import timezone

from akismet_service import api, health

from . import lifecycle, targets
from .forms import HONEYPOT_FIELD
from .models import Comment, CommentEvent

logger = logging.getLogger(__name__)

Kind = CommentEvent.Kind
RECHECK_REASON = "recheck_queue"
REPORT_GIVE_UP_ATTEMPTS = 12
CLAIM_LEASE = timedelta(minutes=5)


def submission_for(comment: Comment, *, recheck_reason: str = "") -> api.Submission:
    """What Akismet is told about a comment: the full context WordPress sends."""
    target = comment.target
    return api.Submission(
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
        blog_lang=comment.language,
    )


def check_comment(
    comment: Comment,
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    now: datetime | None = None,
    recheck_reason: str = "",
) -> api.CheckResult:
    """Ask Akismet about a pending comment and hand the answer to the lifecycle."""
    result = api.check(submission_for(comment, recheck_reason=recheck_reason), client=client, alerts=alerts)
    health.record(result)
    lifecycle.apply_verdict(comment, result, now=now or timezone.now(), recheck=bool(recheck_reason))
    return result


def claim(comment: Comment, *, field: str, now: datetime, lease: timedelta = CLAIM_LEASE) -> bool:
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
    alerts: api.AlertRecorder | None = None,
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


def sweep_stranded(
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[Comment]:
    """Check comments that were saved but never checked nor scheduled (a lost task, a killed worker).

    Only those older than ``COMMENTS_SWEEP_AFTER_MINUTES``, so the sweep never
    races the check task of a comment posted a moment ago.
    """
    now = now or timezone.now()
    limit = limit or settings.COMMENTS_RECHECK_BATCH
    cutoff = now - timedelta(minutes=settings.COMMENTS_SWEEP_AFTER_MINUTES)
    checked = []
    for comment in list(Comment.objects.stranded(submitted_before=cutoff)[:limit]):
        if not claim(comment, field="next_check_at", now=now):
            continue
        logger.warning("Comment %s was never checked; checking it now.", comment.pk)
        check_comment(comment, client=client, alerts=alerts, now=now)
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
    submit = api.submit_spam if kind == Comment.Report.SPAM else api.submit_ham
    outcome = submit(submission, client=client)
    health.record(outcome)
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
