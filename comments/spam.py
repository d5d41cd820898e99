"""Talking to Akismet about comments: what it is told, its verdict, and a moderator's correction.

This module only talks to Akismet (through ``akismet_service.api``, whose
``ask`` and ``tell`` also record its health for the banner); what an answer means for a comment is
decided in ``comments/verdicts.py``. Every function takes its Akismet client
as an argument; the tasks in ``comments/tasks.py`` build the real one. Nothing
here writes to the database but the health record.
"""

from __future__ import annotations

import akismet

from akismet_service import api

from . import targets
from .models import HONEYPOT_FIELD, Comment


def submission_for(comment: Comment, *, recheck_reason: str = "") -> api.Submission:
    """What Akismet is told about a comment: the full context WordPress sends."""
    target = comment.target
    return api.Submission.of(
        "reply" if comment.parent_id else "comment",
        ip=comment.ip,
        text=comment.text,
        user_agent=comment.user_agent,
        referrer=comment.referrer,
        language=comment.language,
        written_at=comment.submitted_at,
        permalink=comment.permalink,
        author=comment.name,
        author_email=comment.email,
        author_url=comment.url,
        post_modified_gmt=targets.modified_at(target) if target is not None else None,
        honeypot_field_name=HONEYPOT_FIELD,
        recheck_reason=recheck_reason,
    )


def ask(
    comment: Comment,
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    recheck_reason: str = "",
) -> api.CheckResult:
    """Akismet's verdict on a comment (``comment-check``); never raises, a failure is in the result."""
    return api.ask(submission_for(comment, recheck_reason=recheck_reason), client=client, alerts=alerts)


def report(comment: Comment, *, client: akismet.SyncClient | None) -> api.ReportResult:
    """Send the correction waiting on this comment (submit-spam or submit-ham); never raises."""
    return api.tell(api.Report(comment.pending_report), submission_for(comment), client=client)
