"""iCalendar files for courses: one VEVENT per session, in Europe/London local time.

Times are written as local times with ``TZID=Europe/London`` and a VTIMEZONE,
so a 7pm class stays at 7pm in people's calendars on both sides of a clock
change. Each session's UID never changes (``session-<pk>@<the site's host>``:
the host makes it unique among every site's events, the primary key keeps it
through edits), so a calendar that subscribed to the feed updates a moved or
cancelled session instead of adding a second one. SEQUENCE is the session's
revision: it grows with every save of the session and, through
``bump_sessions_of_course`` / ``bump_sessions_at_venue``, with every change
to what the event shows from its course or venue (title, description,
address), because calendar apps keep their copy of an event whose SEQUENCE
did not grow.

The reader chooses a reminder where the link is offered: ``?reminder=hour``
adds a VALARM an hour before each session still held (none on a cancelled
one). The same address with ``webcal://`` is the subscription.

The output depends only on the data and the address (DTSTAMP is when the
session last changed), so the same courses always give the same bytes and
can be cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import STATUS, Alarm, Calendar, Event, vDuration

from .models import Course, Session, Venue

PRODID = "-//BackCare//Yoga for backs classes//EN"
LONDON = ZoneInfo("Europe/London")
# How often a subscribed calendar should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(hours=6)
# The reader's choice of reminder, as the download and the webcal links carry it.
REMINDER_PARAM = "reminder"
REMINDER_HOUR = "hour"
REMINDER_BEFORE = timedelta(hours=1)
# What a calendar event shows from a course and from its venue: a change to one of these
# (in any language's column) must reach calendars that already hold the event.
COURSE_FIELDS = ("title", "description", "slug", "venue")
VENUE_FIELDS = ("name", "is_online", "address", "town", "postcode")


def site_host() -> str:
    """The site's host name, from SITE_URL: the same for every request, so UIDs never change."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def webcal_url(path: str) -> str:
    """The subscription address of a calendar at ``path`` (which may carry a query string)."""
    return "webcal://" + urlsplit(settings.SITE_URL).netloc + path


def wants_reminder(query: QueryDict) -> bool:
    return query.get(REMINDER_PARAM) == REMINDER_HOUR


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{site_host()}"


def reminder(summary: str) -> Alarm:
    alarm = Alarm.new(description=summary)
    alarm.add("ACTION", "DISPLAY")
    alarm.add("TRIGGER", -REMINDER_BEFORE)
    return alarm


def session_event(session: Session, course: Course, *, remind: bool = False) -> Event:
    url = settings.SITE_URL + course.get_absolute_url()
    summary = course.title
    description = [course.description, "", url]
    if session.is_cancelled:
        summary = _("Cancelled: %(title)s") % {"title": course.title}
        description = [_("Cancelled: %(reason)s") % {"reason": session.cancellation_reason}, "", *description]
    event = Event.new(
        uid=session_uid(session),
        stamp=session.updated_at,
        start=session.starts_at.astimezone(LONDON),
        end=session.ends_at.astimezone(LONDON),
        summary=summary,
        description="\n".join(description),
        location=_("Online")
        if course.venue.is_online
        else f"{course.venue.name}, {course.venue.one_line_address}",
        url=url,
        sequence=session.revision,
        status=STATUS.CANCELLED if session.is_cancelled else STATUS.CONFIRMED,
    )
    if remind and not session.is_cancelled:
        event.add_component(reminder(summary))
    return event


def build_calendar(courses: Iterable[Course], *, name: str, uid: str, remind: bool = False) -> Calendar:
    """A calendar of every session of ``courses`` (sessions prefetched, venue selected)."""
    calendar = Calendar.new(prodid=PRODID, name=name, uid=f"{uid}@{site_host()}")
    calendar.add("X-WR-TIMEZONE", "Europe/London")
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property is text to the library: written as the duration it means.
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH).to_ical().decode())
    dates: list[date] = []
    for course in courses:
        for session in course.sessions.all():
            calendar.add_component(session_event(session, course, remind=remind))
            dates.append(session.date)
    if dates:
        # Only the clock changes around these dates: a VTIMEZONE reaching back to 1847 is 100 kB.
        calendar.add_missing_timezones(
            first_date=min(dates) - timedelta(days=366), last_date=max(dates) + timedelta(days=366)
        )
    return calendar


def calendar_bytes(courses: Iterable[Course], *, name: str, uid: str, remind: bool = False) -> bytes:
    return build_calendar(courses, name=name, uid=uid, remind=remind).to_ical()


# --- SEQUENCE for changes made on the course or the venue ---------------------


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The database columns (attnames) behind ``names``, each language's column included."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if any(field.name == name or field.name.startswith(f"{name}_") for name in names)
    ]


def _changed(instance: models.Model, names: Iterable[str]) -> bool:
    """Whether a saved row is about to change one of ``names`` (read before the save)."""
    if instance._state.adding or instance.pk is None:
        return False
    columns = _columns(type(instance), names)
    before = type(instance)._default_manager.filter(pk=instance.pk).values(*columns).first()
    return before is not None and any(before[column] != getattr(instance, column) for column in columns)


def _bump(sessions: models.QuerySet[Session]) -> None:
    sessions.update(revision=F("revision") + 1, updated_at=timezone.now())


def note_course_change(sender: type[Course], instance: Course, raw: bool = False, **kwargs: Any) -> None:
    """pre_save: remember whether the save changes what the course's events show."""
    instance._calendar_changed = not raw and _changed(instance, COURSE_FIELDS)  # type: ignore[attr-defined]


def bump_sessions_of_course(sender: type[Course], instance: Course, **kwargs: Any) -> None:
    """post_save: a new title, description, address or venue is a new version of every session."""
    if getattr(instance, "_calendar_changed", False):
        _bump(Session.objects.filter(course=instance))


def note_venue_change(sender: type[Venue], instance: Venue, raw: bool = False, **kwargs: Any) -> None:
    instance._calendar_changed = not raw and _changed(instance, VENUE_FIELDS)  # type: ignore[attr-defined]


def bump_sessions_at_venue(sender: type[Venue], instance: Venue, **kwargs: Any) -> None:
    if getattr(instance, "_calendar_changed", False):
        _bump(Session.objects.filter(course__venue=instance))
