"""Who may change a comment's text, and until when: its writer, from the browser that posted it.

The signed own-comments cookie (``comments/readers.py``) is the proof that a
browser posted a comment; no account is needed. The edit itself (saved, then
checked again) is ``lifecycle.edit``; the page is ``views.edit``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext, ngettext

from .models import Comment, CommentEvent

# How long after posting a reader may change their comment's text.
EDIT_MINUTES = 15
# Edits of one comment at most: each is another question to Akismet.
EDITS_ALLOWED = 5


def editable_until(comment: Comment) -> datetime:
    return comment.submitted_at + timedelta(minutes=EDIT_MINUTES)


def not_own_refusal() -> str:
    """Why a comment that is not in this browser's own-comments cookie cannot be edited here."""
    return ngettext(
        "You can only edit a comment from the browser you posted it from, within %(minutes)d minute of posting it.",
        "You can only edit a comment from the browser you posted it from, within %(minutes)d minutes of posting it.",
        EDIT_MINUTES,
    ) % {"minutes": EDIT_MINUTES}


def refusal(comment: Comment, *, own: bool, now: datetime) -> str:
    """Why this reader may not change the text now, or "" when they may.

    The one answer to "can this be edited?": the thread's "Edit" link and the
    edit page both ask it. ``own``: the comment is in the reader's signed
    own-comments cookie. Only a comment that is waiting or published can be
    edited: spam and trash stay as they were judged.
    """
    if not own:
        return not_own_refusal()
    if now >= editable_until(comment):
        return ngettext(
            "Comments can be edited for %(minutes)d minute after posting, and that time is up for this one.",
            "Comments can be edited for %(minutes)d minutes after posting, and that time is up for this one.",
            EDIT_MINUTES,
        ) % {"minutes": EDIT_MINUTES}
    if comment.status not in (Comment.Status.PENDING, Comment.Status.APPROVED):
        return gettext("This comment can no longer be edited.")
    return ""


def edits_used_up(comment: Comment) -> bool:
    return comment.events.filter(kind=CommentEvent.Kind.EDITED).count() >= EDITS_ALLOWED
