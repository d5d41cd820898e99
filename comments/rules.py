"""Our own reasons to let a person look at a comment before it is published.

Pure questions about a comment; ``comments/lifecycle.py`` acts on the answers.
None of them ever files a comment as spam: only Akismet's verdict or a
moderator does that. A doubt only holds the comment for a human.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.db.models import Q
from django.utils.translation import gettext_noop

from safety import signs

from . import text
from .models import Comment, CommentEvent

# Stored untranslated (the moderation queue shows them through gettext), so
# a reason reads in whichever language the moderator uses.
FIRST_TIME = gettext_noop("first comment from this e-mail address")
MODERATION_WORD = gettext_noop("contains a moderation word")
TOO_FAST = gettext_noop("sent too fast after the page loaded")
STAFF_IDENTITY = gettext_noop("uses the name or e-mail address of a member of staff")
WARNING_SIGNS = gettext_noop("describes warning signs of a back emergency: reply with urgent advice")


@dataclass(frozen=True)
class Doubt:
    """A form guard's reason to let a person look before anything is published."""

    reason: str
    kind: str = CommentEvent.Kind.HELD
    detail: dict[str, object] = field(default_factory=dict)


def warning_signs_doubt(text: str) -> Doubt | None:
    """A comment describing the warning signs of a back emergency waits for a person,
    who can answer with care; the writer is shown urgent advice at once."""
    found = signs.warning_signs(text)
    if not found:
        return None
    return Doubt(WARNING_SIGNS, detail={"signs": found})


def too_many_links(count: int) -> str:
    return f"{count} or more links"


def local_hold_reason(comment: Comment) -> str:
    """Why a comment Akismet calls ham still waits for a person, or "" to publish it."""
    if comment.guard_reason:
        return comment.guard_reason
    if (
        settings.COMMENTS_HOLD_FIRST_TIME
        and not Comment.objects.approved().by_email(comment.email).exclude(pk=comment.pk).exists()
        and not was_published(comment)
    ):
        return FIRST_TIME
    limit = settings.COMMENTS_HOLD_LINKS
    if limit and text.count_links(comment.text) >= limit:
        return too_many_links(limit)
    haystack = " ".join([comment.name, comment.email, comment.url, comment.text, comment.user_agent]).lower()
    for word in settings.COMMENTS_MODERATION_WORDS:
        if word.strip() and word.strip().lower() in haystack:
            return MODERATION_WORD
    return ""


def was_published(comment: Comment) -> bool:
    """Whether the comment was on the page before (then edited by its writer): its first
    text already passed the first-comment rule, so an edit is not a first comment again."""
    if comment.edited_at is None:
        return False
    Kind = CommentEvent.Kind
    published = Q(kind__in=[Kind.APPROVED, Kind.NOT_SPAM]) | Q(
        kind=Kind.EDITED, detail__previous_status=Comment.Status.APPROVED
    )
    return comment.events.filter(published).exists()


def staff_badge(user: AbstractBaseUser | None) -> str:
    """The badge a signed-in member of staff's comments carry: BackCare for moderators, else Teacher."""
    # A login (never anonymous), with the staff flag and permissions AbstractBaseUser lacks.
    if not isinstance(user, AbstractUser) or not user.is_active or not user.is_staff:
        return Comment.Badge.NONE
    if user.has_perm("comments.change_comment"):
        return Comment.Badge.BACKCARE
    return Comment.Badge.TEACHER


def _plain_name(value: str) -> str:
    """Lower case, no accents, no "(teacher)"-style asides, single spaces."""
    value = re.sub(r"\([^)]*\)", " ", value)
    value = unicodedata.normalize("NFKD", value.casefold())
    value = "".join(char for char in value if char.isalnum() or char.isspace())
    return " ".join(value.split())


def uses_staff_identity(*, name: str, email: str) -> bool:
    """Whether an anonymous visitor wrote under a member of staff's e-mail address or name.

    Compared with every active staff login: e-mail address (any case), user
    name, full name, and first name. A match only holds the comment; a real
    member of staff signs in and their comment carries a badge.
    """
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    wanted_email = email.strip().casefold()
    wanted = _plain_name(name)
    # One query: a site has a handful of staff logins.
    for staff_email, username, first, last in staff.values_list(
        "email", "username", "first_name", "last_name"
    ):
        if wanted_email and staff_email.strip().casefold() == wanted_email:
            return True
        names = {_plain_name(username), _plain_name(f"{first} {last}"), _plain_name(first)}
        if wanted and wanted in names - {""}:
            return True
    return False
