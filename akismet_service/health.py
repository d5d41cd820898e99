"""Is the spam check working? Recorded after every call to Akismet; read by the admin banner,
the system check and the health endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .choices import Failure
from .config import is_configured
from .models import AkismetHealth

SINGLETON = 1


class Outcome(Protocol):
    """What ``record`` reads of an answer (``api.CheckResult`` or ``api.ReportResult``)."""

    @property
    def failure(self) -> Failure | None: ...

    @property
    def detail(self) -> str: ...


def record(result: Outcome, *, now: datetime | None = None) -> None:
    """Remember the outcome of one call. "Not configured" is not news: the banner says it anyway."""
    if result.failure == Failure.NOT_CONFIGURED:
        return
    now = now or timezone.now()
    fields: dict[str, object]
    if result.failure is None:
        fields = {"last_ok_at": now}
    else:
        fields = {
            "last_failure_at": now,
            "last_failure": str(result.failure),
            "last_failure_detail": result.detail[:300],
            "alert_code": getattr(result, "alert_code", "")[:20],
            "alert_message": getattr(result, "alert_message", "")[:300],
        }
    if not AkismetHealth.objects.filter(pk=SINGLETON).update(**fields):
        AkismetHealth.objects.get_or_create(pk=SINGLETON)
        AkismetHealth.objects.filter(pk=SINGLETON).update(**fields)


def current() -> AkismetHealth:
    """The recorded state (an empty one before the first call)."""
    return AkismetHealth.objects.filter(pk=SINGLETON).first() or AkismetHealth(pk=SINGLETON)


def warnings() -> list[str]:
    """What a moderator should know about the spam check; [] when all is well."""
    found = []
    if not is_configured():
        found.append(
            _(
                "Akismet is not set up (no PYTHON_AKISMET_API_KEY), so every comment waits for you to approve it."
            )
        )
    state = current()
    if state.is_failing:
        found.append(
            _(
                "The last spam check failed (%(failure)s, %(when)s). Comments are being held and "
                "will be checked again automatically."
            )
            % {
                "failure": state.last_failure,
                "when": date_format(timezone.localtime(state.last_failure_at), "DATETIME_FORMAT"),
            }
        )
        if state.alert_code:
            found.append(
                _("Akismet says: %(message)s (alert %(code)s).")
                % {"message": state.alert_message, "code": state.alert_code}
            )
    return found
