"""Places on a course asked for by readers (no account), and the e-mails each is owed.

A ``Booking`` goes through: the reader asks (``UNCONFIRMED``), confirms their
address from the e-mailed link (double opt-in), then waits for the teacher
(``REQUESTED``) or, when the course is full, on the waiting list (``WAITING``).
The teacher confirms or declines; a freed place is offered to the first on the
waiting list (``OFFERED``, with a time limit), then the next. The reader can
cancel from a signed link at any time.

Every e-mail is a ``BookingMessage`` saved in the same transaction as the change
that causes it, then sent by a task: a mail server that is down delays a notice,
it never loses one (``classes.tasks.sweep_booking_messages`` retries).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akismet_service.choices import Verdict

from .courses import Course, Session


class BookingStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Address not confirmed yet")
    REQUESTED = "requested", _("Waiting for the teacher")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    CONFIRMED = "confirmed", _("Place confirmed")
    DECLINED = "declined", _("Declined by the teacher")
    CANCELLED = "cancelled", _("Cancelled by the reader")
    LAPSED = "lapsed", _("Offer not taken in time")


# A person holds at most one of these per course; the others are history.
LIVE = [
    BookingStatus.UNCONFIRMED,
    BookingStatus.REQUESTED,
    BookingStatus.WAITING,
    BookingStatus.OFFERED,
    BookingStatus.CONFIRMED,
]


class BookingQuerySet(models.QuerySet["Booking"]):
    def live(self) -> BookingQuerySet:
        return self.filter(status__in=LIVE)

    def waiting_list(self) -> BookingQuerySet:
        """In the order people confirmed their address: first come, first offered."""
        return self.filter(status=BookingStatus.WAITING).order_by("address_confirmed_at", "pk")

    def for_teacher(self, user) -> BookingQuerySet:
        """The bookings of the courses a login teaches (none for anyone else)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(course__in=Course.objects.taught_by(user).values("pk"))


class Booking(models.Model):
    """One reader's request for a place on one course."""

    Status = BookingStatus
    Verdict = Verdict  # the intake's verdicts, as every checked form stores them (spam is deleted)

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    note = models.TextField(_("anything the teacher should know"), max_length=1000, blank=True)
    # The language of the page the form was on: every e-mail about the booking is in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus, default=BookingStatus.UNCONFIRMED
    )
    warning_signs = models.CharField(
        _("warning signs in the note"),
        max_length=300,
        blank=True,
        help_text=_(
            "The note describes warning signs of a back emergency: the reader was shown urgent advice."
        ),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    referrer = models.CharField(_("came from"), max_length=400, blank=True)
    verdict = models.CharField(_("spam check"), max_length=10, choices=Verdict, default=Verdict.PENDING)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    address_confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("place request")
        verbose_name_plural = _("place requests")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=Q(status__in=LIVE),
                name="booking_one_live_per_course_and_address",
                violation_error_message=_("This address has already asked for a place on this course."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.course}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class BookingMessage(models.Model):
    """An e-mail owed to a reader about their booking, kept until it is sent."""

    class Kind(models.TextChoices):
        CONFIRM_ADDRESS = "address", _("Confirm your address")
        CONFIRMED = "confirmed", _("Place confirmed, with the calendar")
        DECLINED = "declined", _("Request declined")
        OFFER = "offer", _("A place is free")
        SESSION_MOVED = "moved", _("A session has moved")
        SESSION_CANCELLED = "cancelled", _("A session is cancelled")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("e-mail"), max_length=12, choices=Kind)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the session was before it moved (date, start and end as ISO text).
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.CharField(_("last sending error"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("booking e-mail")
        verbose_name_plural = _("booking e-mails")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.booking_id}"
