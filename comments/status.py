"""Is the spam check working? Read from the audit trail, for the admin banner and the system check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import spam
from .models import CommentEvent

CHECKS = [CommentEvent.Kind.CHECKED, CommentEvent.Kind.RECHECKED, CommentEvent.Kind.CHECK_FAILED]


def warnings() -> list[str]:
    """What a moderator should know about the spam check, newest state first; [] when all is well."""
    found = []
    if not spam.is_configured():
        found.append(
            _(
                "Akismet is not set up (no PYTHON_AKISMET_API_KEY), so every comment waits for you to approve it."
            )
        )
    last = CommentEvent.objects.filter(kind__in=CHECKS).order_by("-at", "-pk").only("at", "detail").first()
    failure = last.detail.get("failure") if last else None
    if failure and failure != str(spam.Failure.NOT_CONFIGURED):
        found.append(
            _(
                "The last spam check failed (%(failure)s, %(when)s). Comments are being held and "
                "will be checked again automatically."
            )
            % {"failure": failure, "when": last.at.strftime("%d %b %Y %H:%M")}
        )
    return found
