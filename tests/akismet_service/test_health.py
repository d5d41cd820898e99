"""akismet_service/health.py: the last answer and the last failure, for the banner and the health check."""

import pytest
from django.utils import timezone

from akismet_service import api, health

pytestmark = pytest.mark.django_db


def test_a_failure_is_reported_until_akismet_answers_again(configured_akismet):
    assert health.warnings() == []
    health.record(api.CheckResult(api.Verdict.UNKNOWN, api.Failure.TIMEOUT, "read timed out"))
    assert health.current().is_failing
    assert "The last spam check failed (timeout" in health.warnings()[0]
    health.record(api.CheckResult(api.Verdict.HAM))
    assert not health.current().is_failing
    assert health.warnings() == []


def test_an_akismet_alert_is_shown_with_its_message(configured_akismet):
    health.record(
        api.CheckResult(
            api.Verdict.UNKNOWN, api.Failure.ALERT, "alert", alert_code="10003", alert_message="Key suspended"
        )
    )
    assert "Akismet says: Key suspended (alert 10003)." in health.warnings()


def test_a_failed_report_counts_as_a_failure_too(configured_akismet):
    health.record(api.ReportResult(False, api.Failure.SERVER_ERROR, "500"), now=timezone.now())
    assert health.current().last_failure == "server-error"


def test_no_key_is_said_once_and_not_recorded_as_an_outage():
    health.record(api.CheckResult(api.Verdict.UNKNOWN, api.Failure.NOT_CONFIGURED, "no key"))
    assert not health.current().is_failing
    assert len(health.warnings()) == 1
    assert "Akismet is not set up" in health.warnings()[0]
