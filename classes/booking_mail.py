"""The e-mails about a place request, each in the language of the page the reader asked on.

``send`` builds the e-mail a ``BookingMessage`` stands for and records the
attempt: a failure leaves the row unsent, with its error, for the task's retries
and ``sweep_bookings``. A confirmed place comes with the course's calendar
(``classes.calendar``), so the dates are in the reader's calendar in one tap.
"""

from __future__ import annotations

import logging
from datetime import date, time

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .booking_tokens import CONFIRM_DAYS, cancel_token, confirm_token, offer_token
from .bookings import absolute, link
from .calendar import calendar_bytes
from .mail import one_line
from .models import Booking, BookingMessage, Course

logger = logging.getLogger(__name__)

Kind = BookingMessage.Kind


def day(value: date) -> str:
    return date_format(value, "l j F Y")


def _course_line(course: Course) -> str:
    first = course.sessions.filter(is_cancelled=False).first()
    where = _("Online") if course.venue.is_online else course.venue.name
    if first is None:
        return str(where)
    return _("%(venue)s, from %(date)s") % {"venue": where, "date": day(first.date)}


def _cancel_lines(booking: Booking) -> list[str]:
    return [
        "",
        "—",
        _("If you cannot come, please free your place for someone else: %(url)s")
        % {"url": link("classes:booking_cancel", cancel_token(booking))},
    ]


def build(message: BookingMessage) -> EmailMessage:
    booking = message.booking
    course = booking.course
    title = one_line(course.title)
    with translation.override(booking.language):
        attachments = []
        if message.kind == Kind.CONFIRM_ADDRESS:
            subject = _("Please confirm your request for a place on “%(title)s”") % {"title": title}
            lines = [
                _("Someone, probably you, asked for a place on “%(title)s” (%(where)s).")
                % {"title": course.title, "where": _course_line(course)},
                "",
                _("To send your request to the teacher, open this link and press “Yes, ask for my place”:"),
                link("classes:booking_confirm", confirm_token(booking)),
                "",
                ngettext(
                    "The link works for %(days)s day. If you did not ask, ignore this e-mail: nothing is sent.",
                    "The link works for %(days)s days. If you did not ask, ignore this e-mail: nothing is sent.",
                    CONFIRM_DAYS,
                )
                % {"days": CONFIRM_DAYS},
            ]
        elif message.kind == Kind.CONFIRMED:
            subject = _("Your place on “%(title)s” is confirmed") % {"title": title}
            lines = [
                _("Your place on “%(title)s” is confirmed. See you there!") % {"title": course.title},
                "",
                _course_line(course),
                absolute(course.get_absolute_url()),
                "",
                _("Every session is in the attached calendar file: open it to add them to your calendar."),
                *_cancel_lines(booking),
            ]
            content = calendar_bytes(
                [Course.objects.select_related("venue").prefetch_related("sessions").get(pk=course.pk)],
                name=course.title,
                uid=f"course-{course.pk}",
            )
            attachments.append((f"{course.slug}.ics", content, "text/calendar"))
        elif message.kind == Kind.DECLINED:
            subject = _("Your request for a place on “%(title)s”") % {"title": title}
            lines = [
                _("Sorry: the teacher cannot offer you a place on “%(title)s” this time.")
                % {"title": course.title},
                "",
                _("Other courses, and alerts when a new one starts: %(url)s")
                % {"url": absolute(reverse("classes:list"))},
            ]
        elif message.kind == Kind.OFFER:
            deadline = timezone.localtime(booking.offer_expires_at or timezone.now())
            subject = _("A place is free on “%(title)s”") % {"title": title}
            lines = [
                _("A place is free on “%(title)s”, and you are first on the waiting list.")
                % {"title": course.title},
                "",
                _("To take it, open this link and press “Yes, I take the place” before %(deadline)s:")
                % {"deadline": f"{day(deadline.date())} {deadline:%H:%M}"},
                link("classes:booking_offer", offer_token(booking)),
                "",
                _("After that, the place is offered to the next person on the waiting list."),
                *_cancel_lines(booking),
            ]
        else:
            subject, lines = _session_notice(message, booking)
        return EmailMessage(
            subject=one_line(subject), body="\n".join(lines), to=[booking.email], attachments=attachments
        )


def _session_notice(message: BookingMessage, booking: Booking) -> tuple[str, list[str]]:
    course = booking.course
    was = message.detail
    old_day = day(date.fromisoformat(was["date"]))
    times = {"start": was["start"], "end": was["end"]}
    session = message.session
    if message.kind == Kind.SESSION_CANCELLED:
        subject = _("“%(title)s”: the session on %(day)s is cancelled") % {
            "title": one_line(course.title),
            "day": old_day,
        }
        reason = session.cancellation_reason if session else ""
        lines = [
            _("The session of “%(title)s” on %(day)s, %(start)s to %(end)s, is cancelled.")
            % {"title": course.title, "day": old_day, **times},
        ]
        if reason:
            lines.append(_("The teacher says: %(reason)s") % {"reason": reason})
    else:
        subject = _("“%(title)s”: the session of %(day)s has moved") % {
            "title": one_line(course.title),
            "day": old_day,
        }
        lines = [
            _("The session of “%(title)s” on %(old)s has moved to %(new)s, %(start)s to %(end)s.")
            % {
                "title": course.title,
                "old": old_day,
                "new": day(session.date) if session else old_day,
                "start": _hhmm(session.start_time) if session else was["start"],
                "end": _hhmm(session.end_time) if session else was["end"],
            }
        ]
    lines += [
        "",
        _("Every date, as it is now: %(url)s") % {"url": absolute(course.get_absolute_url())},
        *_cancel_lines(booking),
    ]
    return subject, lines


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def send(message: BookingMessage) -> bool:
    """Send the e-mail once; False when it was sent already. Raises what the mail backend raises,
    after recording the attempt."""
    if message.sent_at:
        return False
    email = build(message)
    message.attempts += 1
    try:
        email.send()
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        message.save(update_fields=["attempts", "last_error"])
        logger.exception("Could not send booking e-mail %s (%s)", message.pk, message.kind)
        raise
    message.sent_at, message.last_error = timezone.now(), ""
    message.save(update_fields=["attempts", "last_error", "sent_at"])
    return True
