"""Background work for comments, as Django tasks: the spam check, re-checks, reports, e-mail.

Each task takes ids, not objects, re-reads the comment and does only what is
still due, so running one twice (a retry, a worker restart, a re-check pass
racing a deferred task) is harmless. Tasks are enqueued on commit: a worker
never looks for a comment that isn't saved yet. A task that fails to enqueue
is logged and left to the sweep in ``recheck_comments``: the comment is
already saved, and the person who wrote it gets their page, not an error.

A check is Akismet's answer (``comments/spam.py``) handed to
``comments/verdicts.py``; ``check_now`` is that step in this process, for the
tasks, the periodic passes and tests with a test client. ``lifecycle.py``
enqueues through ``enqueue_on_commit`` and this module never imports it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

import akismet
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import Task, task
from django.utils import timezone

from akismet_service import api

from . import notifications, spam, verdicts
from .models import Comment

logger = logging.getLogger(__name__)

RECHECK_REASON = "recheck_queue"
# What Akismet is told when its writer changed a comment's text (as WordPress does).
EDIT_REASON = "edit"
CLAIM_LEASE = timedelta(minutes=5)
# Comments one re-check pass asks Akismet about at most.
RECHECK_BATCH = 100
# The sweep checks a pending comment that was never checked and has no check scheduled (a lost
# task, a killed worker) once it is this old.
SWEEP_AFTER_MINUTES = 5


def enqueue_on_commit(work: Task, *args: object, run_after: datetime | None = None) -> None:
    """Enqueue once the current transaction commits; a deferred run only where the backend can defer.

    Without deferral (the immediate backend in development and tests) the
    schedule is kept in the database and ``manage.py recheck_comments`` runs it.
    """

    def enqueue() -> None:
        if run_after is not None:
            if not work.get_backend().supports_defer:
                return
            work.using(run_after=run_after).enqueue(*args)
        else:
            work.enqueue(*args)

    # robust: a queue that is down must not turn a saved comment into an
    # error page; the sweep finds what was never enqueued.
    transaction.on_commit(enqueue, robust=True)


# --- In this process: one check, one report, the passes ------------------------


def check_now(
    comment: Comment,
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    now: datetime | None = None,
    recheck_reason: str = "",
) -> api.CheckResult:
    """Ask Akismet about a pending comment and apply its answer (the body of every check)."""
    result = spam.ask(comment, client=client, alerts=alerts, recheck_reason=recheck_reason)
    verdicts.apply_verdict(comment, result, now=now or timezone.now(), recheck=bool(recheck_reason))
    return result


def _report_now(comment: Comment, *, client: akismet.SyncClient | None, now: datetime | None = None) -> bool:
    """Send the moderator's correction waiting on this comment, and keep the outcome; True if sent."""
    if not comment.pending_report:
        return True
    return verdicts.record_report(comment, spam.report(comment, client=client), now=now or timezone.now())


def claim(comment: Comment, *, field: str, now: datetime, lease: timedelta = CLAIM_LEASE) -> bool:
    """Take a due comment for this worker only, so two workers never check or report it twice.

    A compare-and-set on the schedule field works the same on SQLite and
    PostgreSQL; if the worker dies, the lease runs out and the next pass
    picks the comment up again.
    """
    current = getattr(comment, field)
    claimed = Comment.objects.filter(pk=comment.pk, **{field: current}).update(**{field: now + lease})
    return claimed == 1


def _claimed(due: QuerySet[Comment], *, field: str, now: datetime, limit: int | None) -> Iterator[Comment]:
    """The first ``limit`` (``RECHECK_BATCH``) comments of ``due`` this worker could claim."""
    for comment in list(due[: limit or RECHECK_BATCH]):
        if claim(comment, field=field, now=now):
            yield comment


def recheck_due(
    *,
    client: akismet.SyncClient | None,
    alerts: api.AlertRecorder | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[Comment]:
    """One re-check pass: at most ``RECHECK_BATCH`` comments whose re-check is due."""
    now = now or timezone.now()
    checked = []
    for comment in _claimed(
        Comment.objects.due_for_recheck(now), field="next_check_at", now=now, limit=limit
    ):
        check_now(comment, client=client, alerts=alerts, now=now, recheck_reason=RECHECK_REASON)
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

    Only those older than ``SWEEP_AFTER_MINUTES``, so the sweep never
    races the check task of a comment posted a moment ago.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=SWEEP_AFTER_MINUTES)
    stranded = Comment.objects.stranded(submitted_before=cutoff)
    checked = []
    for comment in _claimed(stranded, field="next_check_at", now=now, limit=limit):
        logger.warning("Comment %s was never checked; checking it now.", comment.pk)
        check_now(comment, client=client, alerts=alerts, now=now)
        checked.append(comment)
    return checked


def report_due(
    *, client: akismet.SyncClient | None, now: datetime | None = None, limit: int | None = None
) -> list[Comment]:
    """Retry reports to Akismet that failed before."""
    now = now or timezone.now()
    reported = []
    for comment in _claimed(
        Comment.objects.due_for_report(now), field="next_report_at", now=now, limit=limit
    ):
        comment.refresh_from_db()
        _report_now(comment, client=client, now=now)
        reported.append(comment)
    return reported


# --- The tasks -------------------------------------------------------------------


def _after_check(comment: Comment) -> None:
    if comment.next_check_at is not None:
        enqueue_on_commit(recheck_comment, comment.pk, run_after=comment.next_check_at)
    if notifications.may_be_due(comment):
        enqueue_on_commit(send_notifications, comment.pk)


@task
def check_comment(comment_id: int) -> str:
    """The first spam check of a newly posted comment."""
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING, checked_at=None).first()
    if comment is None or comment.check_attempts:
        return "nothing to do"
    with api.connect() as (client, alerts):
        result = check_now(comment, client=client, alerts=alerts)
    _after_check(comment)
    return str(result.verdict)


@task
def check_edited_comment(comment_id: int) -> str:
    """The spam check of a comment whose writer changed its text (``lifecycle.edit``)."""
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING, checked_at=None).first()
    if comment is None or comment.check_attempts:
        return "nothing to do"
    with api.connect() as (client, alerts):
        result = check_now(comment, client=client, alerts=alerts, recheck_reason=EDIT_REASON)
    _after_check(comment)
    return str(result.verdict)


@task
def recheck_comment(comment_id: int) -> str:
    """A deferred re-check of one comment (database worker only)."""
    now = timezone.now()
    comment = Comment.objects.due_for_recheck(now).filter(pk=comment_id).first()
    if comment is None or not claim(comment, field="next_check_at", now=now):
        return "nothing to do"
    with api.connect() as (client, alerts):
        result = check_now(comment, client=client, alerts=alerts, now=now, recheck_reason=RECHECK_REASON)
    _after_check(comment)
    return str(result.verdict)


@task
def recheck_comments() -> int:
    """The periodic pass (``manage.py recheck_comments``): never-checked comments, due re-checks,
    failed reports."""
    with api.connect() as (client, alerts):
        checked = sweep_stranded(client=client, alerts=alerts)
        checked += recheck_due(client=client, alerts=alerts)
        reported = report_due(client=client)
    for comment in checked:
        if notifications.may_be_due(comment):
            enqueue_on_commit(send_notifications, comment.pk)
    return len(checked) + len(reported)


@task
def report_comment(comment_id: int) -> bool:
    """Send a moderator's Spam / Not spam to Akismet; a failure is retried, never raised."""
    comment = Comment.objects.filter(pk=comment_id).exclude(pending_report="").first()
    if comment is None:
        return True
    with api.connect() as (client, _alerts):
        sent = _report_now(comment, client=client)
    if not sent and comment.next_report_at is not None:
        enqueue_on_commit(report_comment, comment.pk, run_after=comment.next_report_at)
    return sent


@task
def send_notifications(comment_id: int) -> list[str]:
    """Whatever e-mail is now due for this comment (each kind is sent once)."""
    comment = Comment.objects.select_related("parent").filter(pk=comment_id).first()
    if comment is None:
        return []
    return notifications.send_due(comment)
