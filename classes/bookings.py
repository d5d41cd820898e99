"""Places on a course: the rules, from a reader's request to a freed place offered to the next.

1. ``ask`` saves the request unconfirmed (or finds the same one: asking twice never
   makes two); ``classes.tasks.check_booking`` asks Akismet (``comment_type=booking``
   is not one of Akismet's, so ``signup``) and queues the e-mail with the signed link.
2. ``confirm_address`` acts on that link (POST only): the request goes to the
   teacher, or, when the course is full or people already wait, to the end of the
   waiting list.
3. The teacher ``decide``s with one tap on the admin start page. A confirmed place
   counts against the course's places; one confirmed when the course has filled
   meanwhile joins the waiting list instead.
4. ``fill`` runs after every change: offers that ran out lapse, each free place is
   offered to the first on the waiting list (``OFFER_HOURS`` to take it), and the
   course's "places left" and booking status are counted again.
5. ``session_changed`` queues a notice for every confirmed person when a teacher
   moves or cancels a session (quick actions or the full course form).

Every change to the places of one course runs with that course's row locked, so
two taps (or a reader and a teacher) never give the same place twice. Every
e-mail is a ``BookingMessage`` row saved in the same transaction (``queue``) and
sent by ``classes.booking_mail``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import akismet
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from akismet_service import api, visitors
from akismet_service.choices import Verdict

from .models import Booking, BookingMessage, Course, Session
from .models.bookings import LIVE

logger = logging.getLogger(__name__)

Status = Booking.Status
Kind = BookingMessage.Kind

# Requests from one address (IPv6: its /64) in an hour.
RATE_WINDOW = 3600
RATE_LIMIT = 5
# A freed place waits this long for the first person on the waiting list, then goes to the next.
OFFER_HOURS = 48
# One request's confirmation e-mails, however often the form is sent again: the form cannot
# be used to flood someone's inbox.
CONFIRMATIONS_PER_REQUEST = 3
# Booking statuses in which a course takes no requests.
CLOSED = [Course.BookingStatus.CANCELLED, Course.BookingStatus.FULL]
# Places held on the site: confirmed ones and those offered from the waiting list.
HOLDING = [Status.CONFIRMED, Status.OFFERED]


def take_allowance(ip: str | None) -> bool:
    """Count one request from this address; False past the hourly allowance (cache first, the
    database always: requests that still hold an address)."""
    since = timezone.now() - timedelta(seconds=RATE_WINDOW)
    return visitors.allowance(
        "classes:bookings",
        ip=ip,
        limit=RATE_LIMIT,
        window=RATE_WINDOW,
        recent=Booking.objects.filter(created_at__gte=since, ip_address__isnull=False),
    )


def is_open(course: Course) -> bool:
    """Whether readers may ask for a place: a published course with a session to come, neither
    cancelled nor "Full" (the teacher's word for full with no waiting list)."""
    return (
        course.is_published
        and course.booking_status not in CLOSED
        and course.sessions.filter(is_cancelled=False, date__gte=timezone.localdate()).exists()
    )


@dataclass(frozen=True)
class Asked:
    booking: Booking
    needs_check: bool  # False when this address already asked and confirmed: nothing to send


def ask(
    *,
    course: Course,
    name: str,
    email: str,
    phone: str,
    note: str,
    language: str,
    ip: str | None,
    user_agent: str,
    referrer: str,
    warning_signs: str,
) -> Asked:
    """Save the request unconfirmed, or refresh the same address's unconfirmed one."""
    email = email.strip().lower()
    fields: dict[str, Any] = {
        "name": name,
        "phone": phone,
        "note": note,
        "language": language,
        "ip_address": ip,
        "user_agent": user_agent[:400],
        "referrer": referrer[:400],
        "warning_signs": warning_signs[:300],
    }
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        existing = Booking.objects.live().filter(course=course, email=email).first()
        if existing is None:
            return Asked(Booking.objects.create(course=course, email=email, **fields), needs_check=True)
        if existing.status != Status.UNCONFIRMED:
            return Asked(existing, needs_check=False)
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.verdict = Verdict.PENDING
        existing.save()
        return Asked(existing, needs_check=True)


def check(
    booking: Booking, *, client: akismet.SyncClient | None, alerts: api.AlertRecorder | None
) -> Verdict:
    """Ask Akismet about the request; spam is deleted unsent. No verdict still gets its e-mail:
    the link itself proves a person owns the inbox, and the teacher decides."""
    submission = api.Submission.of(
        "signup",
        ip=booking.ip_address,
        text=booking.note,
        user_agent=booking.user_agent,
        referrer=booking.referrer,
        language=booking.language,
        written_at=booking.created_at,
        permalink=settings.SITE_URL + booking.course.get_absolute_url(),
        author=booking.name,
        author_email=booking.email,
    )
    verdict = api.ask(submission, client=client, alerts=alerts).verdict
    if verdict in {Verdict.SPAM, Verdict.DISCARD}:
        logger.info("Place request %s was spam; deleted.", booking.pk)
        booking.delete()
        return Verdict.SPAM
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(verdict=verdict)
        links = booking.messages.filter(kind=Kind.CONFIRM_ADDRESS)
        if not links.filter(sent_at__isnull=True).exists() and links.count() < CONFIRMATIONS_PER_REQUEST:
            queue(booking, Kind.CONFIRM_ADDRESS)
    return verdict


def queue(
    booking: Booking, kind: str, *, session: Session | None = None, detail: dict | None = None
) -> BookingMessage:
    """Save the e-mail to send. Once the change that caused it is committed, a task sends it
    (``classes.signals.send_when_queued``); ``sweep_bookings`` sends what is still waiting."""
    return BookingMessage.objects.create(booking=booking, kind=kind, session=session, detail=detail or {})


def _locked(course_id: int) -> Course:
    return Course.objects.select_for_update().get(pk=course_id)


def places_taken(course: Course) -> int:
    return course.places_by_phone + course.bookings.filter(status__in=HOLDING).count()


def confirm_address(booking: Booking, *, now: datetime | None = None) -> Booking:
    """The reader's address is theirs: to the teacher, or to the end of the waiting list when the
    course is full or others already wait. The IP address and browser, kept only for the spam
    check, are cleared. Confirming again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        course = _locked(booking.course_id)
        booking.refresh_from_db()
        if booking.status == Status.UNCONFIRMED:
            full = places_taken(course) >= course.capacity or course.bookings.waiting_list().exists()
            booking.status = Status.WAITING if full else Status.REQUESTED
            booking.address_confirmed_at = now
            booking.ip_address, booking.user_agent, booking.referrer = None, "", ""
            booking.save()
    return booking


def waiting_position(booking: Booking) -> int:
    """1 for the first on the waiting list; 0 when not on it."""
    if booking.status != Status.WAITING:
        return 0
    ahead = booking.course.bookings.waiting_list().filter(
        Q(address_confirmed_at__lt=booking.address_confirmed_at)
        | Q(address_confirmed_at=booking.address_confirmed_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def decide(booking: Booking, *, confirm: bool, now: datetime | None = None) -> Booking:
    """The teacher's tap. Confirming a request when the course has filled meanwhile puts it on the
    waiting list (in the order its address was confirmed). Declining takes it off either list."""
    now = now or timezone.now()
    with transaction.atomic():
        course = _locked(booking.course_id)
        booking.refresh_from_db()
        if confirm and booking.status == Status.REQUESTED:
            if places_taken(course) < course.capacity:
                booking.status, booking.decided_at = Status.CONFIRMED, now
                booking.save()
                queue(booking, Kind.CONFIRMED)
            else:
                booking.status = Status.WAITING
                booking.save()
        elif not confirm and booking.status in {Status.REQUESTED, Status.WAITING}:
            booking.status, booking.decided_at = Status.DECLINED, now
            booking.save()
            queue(booking, Kind.DECLINED)
        fill(course, now=now)
    return booking


def cancel(booking: Booking, *, now: datetime | None = None) -> Booking:
    """The reader gives up their place (or their request): a held place goes to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        course = _locked(booking.course_id)
        booking.refresh_from_db()
        if booking.status in LIVE:
            booking.status, booking.cancelled_at = Status.CANCELLED, now
            booking.offer_expires_at = None
            booking.save()
            fill(course, now=now)
    return booking


class OfferLapsed(Exception):
    """The offer's time ran out before it was taken; the place has gone to the next person."""


def accept_offer(booking: Booking, *, now: datetime | None = None) -> Booking:
    """Take the offered place. Taking it twice changes nothing; too late raises ``OfferLapsed``."""
    now = now or timezone.now()
    with transaction.atomic():
        course = _locked(booking.course_id)
        booking.refresh_from_db()
        if booking.status == Status.OFFERED:
            if booking.offer_expires_at and booking.offer_expires_at <= now:
                fill(course, now=now)
                raise OfferLapsed
            booking.status, booking.decided_at, booking.offer_expires_at = Status.CONFIRMED, now, None
            booking.save()
            queue(booking, Kind.CONFIRMED)
            fill(course, now=now)
        elif booking.status == Status.LAPSED:
            raise OfferLapsed
    return booking


def fill(course: Course, *, now: datetime | None = None) -> Course:
    """Lapse the offers whose time ran out, offer each free place to the next on the waiting list,
    then count the places left. Call with the course's row locked (inside a transaction)."""
    now = now or timezone.now()
    course.bookings.filter(status=Status.OFFERED, offer_expires_at__lte=now).update(
        status=Status.LAPSED, offer_expires_at=None
    )
    free = course.capacity - places_taken(course)
    for booking in list(course.bookings.waiting_list()[: max(free, 0)]):
        booking.status, booking.offer_expires_at = Status.OFFERED, now + timedelta(hours=OFFER_HOURS)
        booking.save()
        queue(booking, Kind.OFFER)
    return recount(course)


def recount(course: Course) -> Course:
    """Places left = places in total less places taken by phone, confirmed and offered. A course
    that fills while open moves to "Full: waiting list open"; one with a place free and nobody
    waiting opens again. "Full" (no waiting list) and "cancelled" are the teacher's to change."""
    course.places_left = max(0, course.capacity - places_taken(course))
    status = course.booking_status
    if course.places_left == 0 and status in {Course.BookingStatus.OPEN, Course.BookingStatus.FEW_PLACES}:
        course.booking_status = Course.BookingStatus.WAITING_LIST
    elif (
        course.places_left > 0
        and status == Course.BookingStatus.WAITING_LIST
        and not course.bookings.waiting_list().exists()
    ):
        course.booking_status = Course.BookingStatus.OPEN
    # save(), not update(): the course's pages are retired from the page cache on save.
    course.save(update_fields=["places_left", "booking_status", "updated_at"])
    return course


def refill(course_id: int, *, now: datetime | None = None) -> Course:
    """``fill`` in its own transaction, for a course whose places or capacity have just changed."""
    with transaction.atomic():
        return fill(_locked(course_id), now=now)


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass every offer that ran out to the next person. Returns how many courses were filled."""
    now = now or timezone.now()
    course_ids = set(
        Booking.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "course_id", flat=True
        )
    )
    for course_id in course_ids:
        refill(course_id, now=now)
    return len(course_ids)


# --- Sessions moved or cancelled ----------------------------------------------


def session_changed(session: Session, *, was: dict[str, Any]) -> int:
    """Queue a notice for every confirmed person if the session was cancelled or moved.

    ``was`` holds the session's ``date``, ``start_time``, ``end_time`` and
    ``is_cancelled`` before the change. Returns how many notices were queued.
    """
    if session.is_cancelled and not was["is_cancelled"]:
        kind = Kind.SESSION_CANCELLED
    elif not session.is_cancelled and any(
        getattr(session, name) != was[name] for name in ("date", "start_time", "end_time")
    ):
        kind = Kind.SESSION_MOVED
    else:
        return 0
    detail = {
        "date": was["date"].isoformat(),
        "start": was["start_time"].strftime("%H:%M"),
        "end": was["end_time"].strftime("%H:%M"),
    }
    confirmed = Booking.objects.filter(course_id=session.course_id, status=Status.CONFIRMED)
    for booking in confirmed:
        queue(booking, kind, session=session, detail=detail)
    return len(confirmed)


def before(session: Session) -> dict[str, Any]:
    """What ``session_changed`` compares against, read before a form changes the session."""
    return {name: getattr(session, name) for name in ("date", "start_time", "end_time", "is_cancelled")}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def link(name: str, token: str) -> str:
    return absolute(reverse(name, args=[token]))
