"""Is the spam check working? Read from the audit trail, for the admin banner and the system check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import spam
from .models import CommentEvent

CHECKS = [CommentEvent.Kind.CHECKED, CommentEvent.Kind.RECHECKED, CommentEvent.Kind.CHECK_FAILED]


def last_check_failure() -> tuple[str, CommentEvent | None]:
    """The failure of the newest spam check ("" when it worked, or when there was none) and its event."""
    last = CommentEvent.objects.filter(kind__in=CHECKS).order_by("-at", "-pk").only("at", "detail").first()
    return (last.detail.get("failure") or "" if last else ""), last


def akismet_state() -> str:
    """For /healthz: "ok", "not-configured", or the failure of the newest check."""
    if not spam.is_configured():
        return str(spam.Failure.NOT_CONFIGURED)
    failure, _event = last_check_failure()
    return failure or "ok"


def warnings() -> list[str]:
    """What a moderator should know about the spam check, newest state first; [] when all is well."""
    found = []
    if not spam.is_configured():
        found.append(
            _(
                "Akismet is not set up (no PYTHON_AKISMET_API_KEY), so every comment waits for you to approve it."
            )
        )
    failure, last = last_check_failure()
    if failure and failure != str(spam.Failure.NOT_CONFIGURED):
        found.append(
            _(
                "The last spam check failed (%(failure)s, %(when)s). Comments are being held and "
                "will be checked again automatically."
            )
            % {"failure": failure, "when": last.at.strftime("%d %b %Y %H:%M")}
        )
    return found
