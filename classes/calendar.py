"""iCalendar files for courses: one VEVENT per session, in Europe/London local time.

Times are written as local times with ``TZID=Europe/London`` and a VTIMEZONE,
so a 7pm class stays at 7pm in people's calendars on both sides of a clock
change. Each session's UID never changes (``session-<pk>@backcare``), so a
calendar that subscribed to the feed updates a moved or cancelled session
instead of adding a second one; SEQUENCE grows with every edit.

The output depends only on the data (DTSTAMP is when the session last
changed), so the same courses always give the same bytes and can be cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event

from .models import Course, Session

PRODID = "-//BackCare//Yoga for backs classes//EN"
UID_DOMAIN = "backcare"
LONDON = ZoneInfo("Europe/London")


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def session_event(session: Session, course: Course) -> Event:
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
    return event


def build_calendar(courses: Iterable[Course], *, name: str, uid: str) -> Calendar:
    """A calendar of every session of ``courses`` (sessions prefetched, venue selected)."""
    calendar = Calendar.new(prodid=PRODID, name=name, uid=f"{uid}@{UID_DOMAIN}")
    calendar.add("X-WR-TIMEZONE", "Europe/London")
    calendar.add("REFRESH-INTERVAL", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT12H")
    dates: list[date] = []
    for course in courses:
        for session in course.sessions.all():
            calendar.add_component(session_event(session, course))
            dates.append(session.date)
    if dates:
        # Only the clock changes around these dates: a VTIMEZONE reaching back to 1847 is 100 kB.
        calendar.add_missing_timezones(
            first_date=min(dates) - timedelta(days=366), last_date=max(dates) + timedelta(days=366)
        )
    return calendar


def calendar_bytes(courses: Iterable[Course], *, name: str, uid: str) -> bytes:
    return build_calendar(courses, name=name, uid=uid).to_ical()
