"""Background work for the classes app: delivering enquiries to teachers, course alerts, the
e-mails about place requests, and the sweeps for work whose task was lost."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.tasks import task, task_backends
from django.utils import timezone

from akismet_service import api

from . import alerts, booking_mail, bookings, enquiries
from .models import AlertSubscription, Booking, BookingMessage, Enquiry

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 6
SWEEP_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 100


def retry_delay(attempts: int) -> timedelta:
    """5 minutes, then 20, 80… capped at a day: a mail server is usually back within hours."""
    return min(timedelta(minutes=5 * 4 ** (attempts - 1)), timedelta(days=1))


@task
def deliver_enquiry(enquiry_id: int, force: bool = False) -> bool:
    """Spam-check and send one enquiry; ``force`` sends it whatever the verdict (an editor's choice).

    If sending fails and the task backend can run tasks later, it tries again
    with growing gaps; otherwise (and after the last try) the enquiry waits,
    unsent, in the admin for an editor's "Send to the teacher again".
    """
    enquiry = Enquiry.objects.select_related("teacher", "course").filter(pk=enquiry_id).first()
    if enquiry is None or enquiry.sent_at:
        return False
    try:
        if force:
            enquiries.send_enquiry(enquiry)
            return True
        with api.connect() as (client, alerts):
            return enquiries.deliver(enquiry, client=client, alerts=alerts)
    except Exception:
        backend = task_backends[deliver_enquiry.backend]
        if backend.supports_defer and enquiry.send_attempts < MAX_SEND_ATTEMPTS:
            deliver_enquiry.using(run_after=timezone.now() + retry_delay(enquiry.send_attempts)).enqueue(
                enquiry_id, force
            )
        raise


@task
def sweep_enquiries() -> int:
    """Deliver enquiries that were saved but never checked (a lost task, a killed worker).

    Only those older than ``SWEEP_AFTER``, so the sweep never races the
    delivery task of a message sent a moment ago. ``manage.py sweep_enquiries``
    runs it with the comment re-checks.
    """
    cutoff = timezone.now() - SWEEP_AFTER
    stranded = Enquiry.objects.filter(
        verdict=Enquiry.Verdict.PENDING, sent_at__isnull=True, created_at__lt=cutoff
    ).order_by("created_at", "pk")
    delivered = 0
    for pk in list(stranded.values_list("pk", flat=True)[:SWEEP_BATCH]):
        logger.warning("Enquiry %s was never checked; delivering it now.", pk)
        try:
            delivered += bool(deliver_enquiry.call(pk))
        except Exception:
            logger.exception("Enquiry %s could not be delivered by the sweep.", pk)
    return delivered


# --- Course alerts --------------------------------------------------------------


@task
def confirm_alert_signup(subscription_id: int) -> bool:
    """Spam-check a course alert sign-up and e-mail its confirmation link. True if e-mailed."""
    subscription = AlertSubscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True).first()
    if subscription is None:
        return False
    with api.connect() as (client, recorder):
        if (
            alerts.check_signup(subscription, client=client, alerts=recorder)
            == AlertSubscription.Verdict.SPAM
        ):
            return False
    return alerts.send_confirmation(subscription)


@task
def announce_course(course_id: int) -> int:
    """Queue alerts for a course that has just been published, then send what is due."""
    queued = alerts.announce(course_id)
    if queued:
        send_course_alerts.enqueue()
    return queued


@task
def send_course_alerts() -> int:
    """Send every alert that is due. Also run every few minutes by ``manage.py send_course_alerts``,
    which sends what the one-a-day rule held back."""
    return alerts.send_due_alerts()


# --- Place requests ---------------------------------------------------------------


@task
def check_booking(booking_id: int) -> bool:
    """Spam-check a place request; unless it is spam, its confirmation e-mail is queued. True if queued."""
    booking = (
        Booking.objects.select_related("course")
        .filter(pk=booking_id, status=Booking.Status.UNCONFIRMED, verdict=Booking.Verdict.PENDING)
        .first()
    )
    if booking is None:
        return False
    with api.connect() as (client, recorder):
        return bookings.check(booking, client=client, alerts=recorder) != Booking.Verdict.SPAM


@task
def send_booking_message(message_id: int) -> bool:
    """Send one e-mail about a place request, retried with growing gaps like an enquiry's.

    After the last try (or on a backend that cannot defer) it waits unsent for
    ``sweep_bookings``: a mail server that is down delays a notice, it never loses one.
    """
    message = (
        BookingMessage.objects.select_related("booking__course__venue", "session")
        .filter(pk=message_id, sent_at__isnull=True)
        .first()
    )
    if message is None:
        return False
    try:
        return booking_mail.send(message)
    except Exception:
        backend = task_backends[send_booking_message.backend]
        if backend.supports_defer and message.attempts < MAX_SEND_ATTEMPTS:
            send_booking_message.using(run_after=timezone.now() + retry_delay(message.attempts)).enqueue(
                message_id
            )
        raise


@task
def sweep_bookings() -> int:
    """Pass offers that ran out to the next person, check requests whose check was lost, and send
    e-mails still waiting after ``SWEEP_AFTER``. ``manage.py sweep_bookings`` runs it. Returns e-mails sent."""
    bookings.expire_offers()
    cutoff = timezone.now() - SWEEP_AFTER
    for pk in Booking.objects.filter(
        status=Booking.Status.UNCONFIRMED, verdict=Booking.Verdict.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:SWEEP_BATCH]:
        try:
            check_booking.call(pk)
        except Exception:
            logger.exception("Place request %s could not be checked by the sweep.", pk)
    sent = 0
    waiting = BookingMessage.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
    for pk in list(waiting.values_list("pk", flat=True)[:SWEEP_BATCH]):
        try:
            sent += bool(send_booking_message.call(pk))
        except Exception:
            logger.exception("Booking e-mail %s could not be sent by the sweep.", pk)
    return sent
