"""The words the intake answers in: a ``Verdict`` on what a person wrote, and why a call ``Failure``d.

``Verdict`` is both what ``api.ask`` returns and the choices of every stored
verdict (``Comment.spam_verdict``, ``Enquiry.verdict``,
``AlertSubscription.verdict``), so a row says "pending", "ham", "spam",
"discard" or "unknown" whichever form it came from.

It lives here, not in ``models.py``: ``api`` and ``health`` both read these
names, and neither may import the other's way round (no module cycle), nor
need the app registry to be ready just to name a verdict.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    HAM = "ham", _("Not spam")
    SPAM = "spam", _("Spam")
    DISCARD = "discard", _("Blatant spam")  # Akismet advises dropping it unseen
    UNKNOWN = "unknown", _("Could not be checked")  # Akismet unreachable, slow, erroring or misconfigured


class Failure(enum.StrEnum):
    NOT_CONFIGURED = "not-configured"
    INVALID_KEY = "invalid-key"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    SERVER_ERROR = "server-error"
    UNEXPECTED_ANSWER = "unexpected-answer"
    ALERT = "alert"


KEY_PROBLEMS = frozenset({Failure.NOT_CONFIGURED, Failure.INVALID_KEY, Failure.ALERT})


class Report(enum.StrEnum):
    """What a moderator tells Akismet it got wrong."""

    SPAM = "spam"  # submit-spam: spam it missed
    HAM = "ham"  # submit-ham: genuine, though it was called spam
