"""Talking to Akismet about comments: what it is told, its verdict, and a moderator's correction.

This module only talks to Akismet (through ``akismet_service``, which also
records its health for the banner); what an answer means for a comment is
decided in ``comments/verdicts.py``. Every function takes its Akismet client
as an argument; the tasks in ``comments/tasks.py`` build the real one. Nothing
here writes to the database but the health record.
"""

from __future__ import annotations

import akismet

from akismet_service import api, health

from . import targets
from .models import HONEYPOT_FIELD, Comment


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


def ask(
    comment: Comment,
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    recheck_reason: str = "",
) -> api.CheckResult:
    """Akismet's verdict on a comment (``comment-check``); never raises, a failure is in the result."""
    result = api.check(submission_for(comment, recheck_reason=recheck_reason), client=client, alerts=alerts)
    health.record(result)
    return result


def report(comment: Comment, *, client: akismet.SyncClient | None) -> api.ReportResult:
    """Send the correction waiting on this comment (submit-spam or submit-ham); never raises."""
    submit = api.submit_spam if comment.pending_report == Comment.Report.SPAM else api.submit_ham
    outcome = submit(submission_for(comment), client=client)
    health.record(outcome)
    return outcome
