"""Background work for comments, as Django tasks: the spam check, re-checks, reports, e-mail.

Each task takes ids, not objects, re-reads the comment and does only what is
still due, so running one twice (a retry, a worker restart, a re-check pass
racing a deferred task) is harmless. Tasks are enqueued on commit: a worker
never looks for a comment that isn't saved yet. A task that fails to enqueue
is logged and left to the sweep in ``recheck_comments``: the comment is
already saved, and the person who wrote it gets their page, not an error.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.tasks import Task, task
from django.utils import timezone

from akismet_service import api

from . import notifications, pipeline
from .models import Comment

logger = logging.getLogger(__name__)


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


def _after_check(comment: Comment) -> None:
    if comment.next_check_at is not None:
        enqueue_on_commit(recheck_comment, comment.pk, run_after=comment.next_check_at)
    enqueue_on_commit(send_notifications, comment.pk)


@task
def check_comment(comment_id: int) -> str:
    """The first spam check of a newly posted comment."""
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING, checked_at=None).first()
    if comment is None or comment.check_attempts:
        return "nothing to do"
    with api.connect() as (client, alerts):
        result = pipeline.check_comment(comment, client=client, alerts=alerts)
    _after_check(comment)
    return str(result.verdict)


@task
def recheck_comment(comment_id: int) -> str:
    """A deferred re-check of one comment (database worker only)."""
    now = timezone.now()
    comment = Comment.objects.due_for_recheck(now).filter(pk=comment_id).first()
    if comment is None or not pipeline.claim(comment, field="next_check_at", now=now):
        return "nothing to do"
    with api.connect() as (client, alerts):
        result = pipeline.check_comment(
            comment, client=client, alerts=alerts, now=now, recheck_reason=pipeline.RECHECK_REASON
        )
    _after_check(comment)
    return str(result.verdict)


@task
def recheck_comments() -> int:
    """The periodic pass (``manage.py recheck_comments``): never-checked comments, due re-checks,
    failed reports."""
    with api.connect() as (client, alerts):
        checked = pipeline.sweep_stranded(client=client, alerts=alerts)
        checked += pipeline.recheck_due(client=client, alerts=alerts)
        reported = pipeline.report_due(client=client)
    for comment in checked:
        enqueue_on_commit(send_notifications, comment.pk)
    return len(checked) + len(reported)


@task
def report_comment(comment_id: int) -> bool:
    """Send a moderator's Spam / Not spam to Akismet; a failure is retried, never raised."""
    comment = Comment.objects.filter(pk=comment_id).exclude(pending_report="").first()
    if comment is None:
        return True
    with api.connect() as (client, _alerts):
        sent = pipeline.report_to_akismet(comment, client=client)
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


def enqueue_check(comment: Comment) -> None:
    enqueue_on_commit(check_comment, comment.pk)


def enqueue_report(comment: Comment) -> None:
    enqueue_on_commit(report_comment, comment.pk)


def enqueue_notifications(comment: Comment) -> None:
    enqueue_on_commit(send_notifications, comment.pk)
