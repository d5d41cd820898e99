"""The daily purge unit prunes finished background task results, keeping failed ones longer."""

import shlex
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "backcare-purge.service"


def run_the_purge_unit() -> None:
    """Every ``manage.py`` command of the unit's ExecStart lines, as systemd would run them."""
    for line in UNIT.read_text().splitlines():
        if line.startswith("ExecStart=") and "manage.py" in line:
            words = shlex.split(line.removeprefix("ExecStart="))
            call_command(*words[words.index("manage.py") + 1 :])


def finished_task(status: str, *, days_ago: int) -> DBTaskResult:
    finished = timezone.now() - timedelta(days=days_ago)
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=status,
        started_at=finished,
        finished_at=finished,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="comments.tasks.check_comment",
        queue_name="default",
        backend_name="default",
        run_after=finished,
        exception_class_path="smtplib.SMTPRecipientsRefused" if status == "FAILED" else "",
        traceback="SMTPRecipientsRefused" if status == "FAILED" else "",
    )


def test_the_daily_purge_deletes_old_task_results_and_keeps_failed_ones_longer(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old_success = finished_task("SUCCESSFUL", days_ago=15)
    recent_success = finished_task("SUCCESSFUL", days_ago=13)
    month_old_failure = finished_task("FAILED", days_ago=30)
    old_failure = finished_task("FAILED", days_ago=61)

    run_the_purge_unit()

    kept = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept == {recent_success.pk, month_old_failure.pk}
    assert old_success.pk not in kept
    assert old_failure.pk not in kept
