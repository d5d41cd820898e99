"""Reader comments on any object, and the audit trail of what happened to each.

The app knows no other app of ours: a comment points at its target through a
content type and an id. What it needs from a target it reads through
duck-typed attributes, each optional: see ``comments/targets.py``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from akismet_service.choices import Verdict

MAX_DEPTH = 3
# Re-checks after Akismet gave no verdict stop this long after the comment was posted.
RECHECK_GIVE_UP_DAYS = 15
# The comment form's trap field (a person never fills it in); Akismet is told its name too
# (``comments/spam.py``), so it lives below both.
HONEYPOT_FIELD = "your_phone"


class CommentQuerySet(models.QuerySet["Comment"]):
    def for_object(self, obj: models.Model) -> CommentQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))

    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def held(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def stranded(self, *, submitted_before: datetime) -> CommentQuerySet:
        """Pending comments that were never checked and have no check scheduled: the sweep's work.

        A check task that failed to enqueue, or a worker killed mid-check,
        leaves a comment like this; nothing else would ever look at it again.
        """
        return self.filter(
            status=Comment.Status.PENDING,
            checked_at__isnull=True,
            check_attempts=0,
            next_check_at__isnull=True,
            submitted_at__lt=submitted_before,
        ).order_by("submitted_at", "pk")

    def moderation_queue(self) -> CommentQuerySet:
        """What a moderator looks at by default: everything but blatant spam."""
        return self.exclude(is_discard=True)

    def due_for_recheck(self, now: datetime) -> CommentQuerySet:
        return self.filter(
            status=Comment.Status.PENDING, next_check_at__isnull=False, next_check_at__lte=now
        ).order_by("next_check_at", "pk")

    def due_for_report(self, now: datetime) -> CommentQuerySet:
        return (
            self.exclude(pending_report="").filter(next_report_at__lte=now).order_by("next_report_at", "pk")
        )

    def by_email(self, email: str) -> CommentQuerySet:
        return self.filter(email__iexact=email.strip())

    def top_level_with_visible_threads(self) -> CommentQuerySet:
        """Top-level comments that are approved, or hidden but with an approved reply below them.

        A hidden comment with approved replies is shown as "removed" so that
        one moderation decision never takes other people's replies with it.
        """
        has_approved_reply = Comment.objects.filter(status=Comment.Status.APPROVED, root__isnull=False)
        return self.filter(parent__isnull=True).filter(
            Q(status=Comment.Status.APPROVED) | Q(pk__in=has_approved_reply.values("root_id"))
        )

    def visible_replies(self, root_ids: list[int]) -> CommentQuerySet:
        approved_replies = Comment.objects.filter(status=Comment.Status.APPROVED, parent__isnull=False)
        return self.filter(root_id__in=root_ids).filter(
            Q(status=Comment.Status.APPROVED) | Q(pk__in=approved_replies.values("parent_id"))
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Badge(models.TextChoices):
        NONE = "", _("None")
        TEACHER = "teacher", _("Teacher")
        BACKCARE = "backcare", _("BackCare")

    class Report(models.TextChoices):
        NONE = "", _("Nothing to report")
        SPAM = "spam", _("Spam")
        HAM = "ham", _("Not spam")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type of page"))
    object_id = models.CharField(_("page id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    # PROTECT: deleting a comment must never take other people's replies with it.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    # When the status last changed: spam and trash are purged this many days later.
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now, editable=False)
    name = models.CharField(_("name"), max_length=245)
    email = models.EmailField(_("e-mail"), max_length=254)
    url = models.URLField(_("website"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    subscribed = models.BooleanField(_("e-mail on replies"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("signed in as"),
    )
    badge = models.CharField(_("badge"), max_length=10, choices=Badge, default=Badge.NONE, blank=True)
    # The language of the page it was written on: Akismet is told it, the
    # page marks the text with it, and e-mails to the commenter use it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.TextField(_("browser"), blank=True)
    referrer = models.TextField(_("came from"), blank=True)
    permalink = models.TextField(_("page address"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    # When its writer last changed the text (``comments/edits.py``); readers see "edited".
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    # Akismet's last answer; "unknown" is never stored here (the check is tried again instead).
    spam_verdict = models.CharField(
        _("Akismet verdict"), max_length=10, choices=Verdict, default=Verdict.PENDING
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    # A form guard's doubt (sent too fast, a member of staff's name): the
    # comment waits for a person even when Akismet calls it ham.
    guard_reason = models.CharField(_("form guard's doubt"), max_length=200, blank=True)
    is_discard = models.BooleanField(_("blatant spam"), default=False)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    check_attempts = models.PositiveSmallIntegerField(_("checks tried"), default=0)
    first_failure_reason = models.CharField(_("first failed check"), max_length=300, blank=True)
    last_failure_reason = models.CharField(_("last failed check"), max_length=300, blank=True)

    pending_report = models.CharField(
        _("report to Akismet"), max_length=4, choices=Report, default=Report.NONE, blank=True
    )
    report_attempts = models.PositiveSmallIntegerField(default=0)
    next_report_at = models.DateTimeField(null=True, blank=True)

    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    approval_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["content_type", "object_id", "status"], name="comment_target_idx"),
            models.Index(fields=["status", "next_check_at"], name="comment_recheck_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__gte=1, depth__lte=MAX_DEPTH), name="comment_depth_in_range"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=1) | Q(parent__isnull=False, depth__gt=1),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:50]}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and (parent := self.parent) is not None:
            self.depth = parent.depth + 1
            self.root_id = parent.root_id or parent.pk
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.target_url}#comment-{self.pk}"

    @property
    def html_lang(self) -> str:
        """The ``lang`` attribute of its text: what it was written in, as far as we know."""
        return "cy" if self.language == "cy" else "en-GB"

    @property
    def target_url(self) -> str:
        target = self.target
        return target.get_absolute_url() if target is not None else ""

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    # What a reader of the page sees of a comment: these fields, and only while it is approved.
    PUBLIC_FIELDS = (
        "status",
        "parent_id",
        "name",
        "url",
        "text",
        "language",
        "submitted_at",
        "edited_at",
        "badge",
    )

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        comment = super().from_db(db, field_names, values, **kwargs)
        comment._public_when_loaded = comment._public_state()
        return comment

    def _public_state(self) -> tuple[object, ...] | None:
        """What readers see of this comment now, None if it is not shown; no query (deferred fields count as unknown)."""
        if self.__dict__.get("status") != self.Status.APPROVED:
            return None
        return tuple(self.__dict__.get(name, models.DEFERRED) for name in self.PUBLIC_FIELDS)

    def shows_change_to_readers(self) -> bool:
        """Whether the last save changed what readers of its page see (for caches).

        A pending or spam comment, a verdict or a re-check time on it, or the
        moderation fields of an approved one change nothing they see.
        """
        before = getattr(self, "_public_when_loaded", None)
        self._public_when_loaded = now = self._public_state()
        return before != now

    def was_public(self) -> bool:
        return self._public_state() is not None

    def reply_refusal(self, *, comments_open: bool) -> str:
        """Why nobody may reply to this comment now, or "" when they may.

        The one answer to "can this be replied to?": the form, the reply page
        and the thread's "Reply" links all ask it. ``comments_open`` is the
        page's state (``targets.comments_open``), which the caller has already read.
        """
        if not comments_open:
            return gettext("Comments are closed on this page.")
        if not self.is_approved:
            return gettext("The comment you are replying to is no longer on the page.")
        if self.depth >= MAX_DEPTH:
            return gettext("Replies to this comment are closed.")
        return ""

    def gave_up_rechecking(self, now: datetime) -> bool:
        return now - self.submitted_at >= timedelta(days=RECHECK_GIVE_UP_DAYS)

    def change_status(self, status: str, *, now: datetime) -> str:
        """Move to ``status`` (unsaved), stamping when if it changed; the previous status.

        Only ``comments/lifecycle.py`` and ``comments/verdicts.py`` call it, each
        with the audit row; retention counts from ``status_changed_at``.
        """
        previous = self.status
        if status != previous:
            self.status = status
            self.status_changed_at = now
        return previous


class CommentEventQuerySet(models.QuerySet["CommentEvent"]):
    def record(
        self, comment: Comment, kind: str, *, actor: AbstractBaseUser | None = None, **detail: object
    ) -> CommentEvent:
        """Write one line of the comment's audit history (append-only: nothing updates or deletes one)."""
        return self.create(
            comment=comment,
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            detail=detail,
        )


class CommentEvent(models.Model):
    """One line of a comment's history: checked, held, approved, reported, and by whom."""

    class Kind(models.TextChoices):
        POSTED = "posted", _("Posted")
        EDITED = "edited", _("Edited by its writer")
        CHECKED = "checked", _("Checked with Akismet")
        RECHECKED = "rechecked", _("Re-checked with Akismet")
        CHECK_FAILED = "check-failed", _("Akismet check failed")
        TOO_FAST = "too-fast", _("Sent too fast: held for a person")
        HELD = "held", _("Held for moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Marked as spam")
        NOT_SPAM = "not-spam", _("Marked as not spam")
        TRASH = "trash", _("Moved to trash")
        REPORTED = "reported", _("Reported to Akismet")
        REPORT_FAILED = "report-failed", _("Report to Akismet failed")
        GAVE_UP = "gave-up", _("Re-checks stopped: waiting for a person")
        NOTIFIED = "notified", _("E-mail sent")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed from replies")
        ERASED = "erased", _("Personal data erased")
        PURGED = "purged", _("Emptied by the retention rules")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = CommentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("comment history entry")
        verbose_name_plural = _("comment history")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class CommentSettings(models.Model):
    """Per-page comment settings: an editor can close comments on one page."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type of page"))
    object_id = models.CharField(_("page id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    closed = models.BooleanField(_("comments closed"), default=False)

    class Meta:
        verbose_name = _("comment settings for a page")
        verbose_name_plural = _("comment settings for pages")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="comment_settings_one_per_page"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id}: {'closed' if self.closed else 'open'}"
