"""How long enquiries, course alert sign-ups and place requests are kept (the privacy page says
the same), and answering data requests about them."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Model, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import alert_tokens, booking_tokens, bookings
from .models import AlertSubscription, Booking, Enquiry, Teacher

# A place request is kept until this many days after its course's last session (for the
# teacher's register and questions afterwards), then deleted with its e-mails.
BOOKING_KEEP_DAYS = 90


def purge(*, now: datetime | None = None) -> dict[str, int]:
    """Clear the sender's IP and browser after ``CLASSES_ENQUIRY_KEEP_IP_DAYS``; delete
    delivered enquiries after ``CLASSES_ENQUIRY_KEEP_DAYS`` and spam after ``COMMENTS_KEEP_SPAM_DAYS``.

    An enquiry that was never delivered is kept whatever its age: it may still
    be sent again from the admin, and nothing someone wrote is lost to our faults.
    """
    now = now or timezone.now()
    cleared = (
        Enquiry.objects.filter(created_at__lt=now - timedelta(days=settings.CLASSES_ENQUIRY_KEEP_IP_DAYS))
        .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
        .update(ip_address=None, user_agent="")
    )
    delivered, _ = Enquiry.objects.filter(
        sent_at__isnull=False, created_at__lt=now - timedelta(days=settings.CLASSES_ENQUIRY_KEEP_DAYS)
    ).delete()
    spam, _ = Enquiry.objects.filter(
        verdict__in=[Enquiry.Verdict.SPAM, Enquiry.Verdict.DISCARD],
        created_at__lt=now - timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS),
    ).delete()
    return {"ip_cleared": cleared, "delivered_deleted": delivered, "spam_deleted": spam}


def purge_alert_signups(*, now: datetime | None = None) -> int:
    """Delete course alert sign-ups never confirmed within ``alert_tokens.CONFIRM_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=alert_tokens.CONFIRM_DAYS)
    deleted, _ = AlertSubscription.objects.unconfirmed().filter(created_at__lt=cutoff).delete()
    return deleted


def purge_bookings(*, now: datetime | None = None) -> dict[str, int]:
    """Delete place requests whose address was not confirmed within ``booking_tokens.CONFIRM_DAYS``,
    and every request ``BOOKING_KEEP_DAYS`` after its course's last session (or, for a course
    with no session left, after it was asked)."""
    now = now or timezone.now()
    unconfirmed, _ = Booking.objects.filter(
        status=Booking.Status.UNCONFIRMED, created_at__lt=now - timedelta(days=booking_tokens.CONFIRM_DAYS)
    ).delete()
    cutoff = timezone.localdate(now) - timedelta(days=BOOKING_KEEP_DAYS)
    old = Booking.objects.annotate(last=Max("course__sessions__date")).filter(
        Q(last__lt=cutoff) | Q(last__isnull=True, created_at__lt=now - timedelta(days=BOOKING_KEEP_DAYS))
    )
    ended, _ = Booking.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return {"unconfirmed_deleted": unconfirmed, "ended_deleted": ended}


def _addresses(emails: Iterable[str]) -> Q:
    """Matches any of these addresses, whatever their case; matches nothing when there are none."""
    condition = Q(pk__in=[])
    for email in {email.strip().lower() for email in emails} - {""}:
        condition |= Q(email__iexact=email)
    return condition


def enquiries(emails: Iterable[str]) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(_addresses(emails))


def alert_signups(emails: Iterable[str]) -> QuerySet[AlertSubscription]:
    return AlertSubscription.objects.filter(_addresses(emails))


def place_requests(emails: Iterable[str]) -> QuerySet[Booking]:
    return Booking.objects.filter(_addresses(emails))


def teacher_profiles(emails: Iterable[str], *, user_ids: Iterable[int] = ()) -> QuerySet[Teacher]:
    """Teacher profiles with one of these addresses or linked to one of these logins."""
    return Teacher.objects.filter(_addresses(emails) | Q(user_id__in=list(user_ids)))


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _fields(item: Model, names: dict[str, str]) -> dict[str, object]:
    """Every concrete field of ``item`` (relations as ids), some under a plainer name."""
    return {
        names.get(field.name, field.name): _plain(getattr(item, field.attname))
        for field in type(item)._meta.concrete_fields
    }


ENQUIRY_NAMES = {
    "user_agent": "browser",
    "referrer": "came_from",
    "created_at": "received_at",
    "sent_at": "sent_to_teacher_at",
    "verdict": "spam_check",
    "check_detail": "spam_check_detail",
    "held_reason": "held_for_an_editor_because",
}
BOOKING_NAMES = {
    "user_agent": "browser",
    "referrer": "came_from",
    "created_at": "asked_at",
    "verdict": "spam_check",
    "language": "language_of_the_emails",
}
ALERT_NAMES = {
    "user_agent": "browser",
    "created_at": "signed_up_at",
    "last_sent_at": "last_alert_at",
    "verdict": "spam_check",
    "site_language": "language_of_the_emails",
    "language": "course_language",
}


def export(*emails: str, user_ids: Iterable[int] = ()) -> dict[str, list[dict[str, object]]]:
    """Everything stored under these addresses: every field of each enquiry sent and course alert
    asked for (with the courses waiting to be announced to it), and a teacher's own profile."""
    enquiry_rows = [
        {
            **_fields(enquiry, ENQUIRY_NAMES),
            "teacher": enquiry.teacher.name,
            "course": enquiry.course.title if enquiry.course else None,
        }
        for enquiry in enquiries(emails).select_related("teacher", "course").order_by("created_at", "pk")
    ]
    alert_rows = [
        {
            **_fields(subscription, ALERT_NAMES),
            "asked_for": str(subscription.choice_label),
            "courses_waiting_to_be_announced": [
                pending.course.title for pending in subscription.pending.all()
            ],
        }
        for subscription in alert_signups(emails)
        .select_related("teacher")
        .prefetch_related("pending__course")
        .order_by("created_at", "pk")
    ]
    booking_rows = [
        {
            **_fields(booking, BOOKING_NAMES),
            "course": booking.course.title,
            "emails_to_you": [
                {
                    "what": str(message.get_kind_display()),
                    "at": _plain(message.created_at),
                    "sent_at": _plain(message.sent_at),
                }
                for message in booking.messages.all()
            ],
        }
        for booking in place_requests(emails)
        .select_related("course")
        .prefetch_related("messages")
        .order_by("created_at", "pk")
    ]
    teachers = [
        {**_fields(teacher, {}), "courses": [course.title for course in teacher.courses.all()]}
        for teacher in teacher_profiles(emails, user_ids=user_ids).prefetch_related("courses")
    ]
    return {
        "enquiries": enquiry_rows,
        "course_alerts": alert_rows,
        "place_requests": booking_rows,
        "teacher_profiles": teachers,
    }


def erase(*emails: str) -> dict[str, int]:
    """Delete the enquiries sent with these addresses, every course alert for them (with the
    courses waiting to be announced to it) and every place request (with its e-mails); a place
    they held goes to the waiting list. A teacher profile is not touched: see ``teacher_profiles``."""
    _, enquiries_deleted = enquiries(emails).delete()
    _, alerts_deleted = alert_signups(emails).delete()
    with transaction.atomic():
        courses = set(place_requests(emails).values_list("course_id", flat=True))
        _, bookings_deleted = place_requests(emails).delete()
        for course_id in courses:
            bookings.refill(course_id)
    return {
        "enquiries_deleted": enquiries_deleted.get(Enquiry._meta.label, 0),
        "course_alerts_deleted": alerts_deleted.get(AlertSubscription._meta.label, 0),
        "place_requests_deleted": bookings_deleted.get(Booking._meta.label, 0),
    }
