"""Routine reminders: an exercise's dosage, or a routine's, as calendar events with alarms.

Each exercise says in numbers how often and for how long it is done
(``times_a_day``, ``reminder_days``, ``minutes``, beside the editor's words):
"morning and night, for a couple of days" is 2 a day for 2 days, so 4
reminders. The times of day nest (one a day is the morning one; two are
morning and evening; …), so a routine's exercises that are due at the same
moment share one event, which names each of them and links to the routine;
a single exercise's events link to its page. Every event has an alarm at its
start. Texts are in the language of the address the calendar came from.

The first day is in the address (``from=YYYY-MM-DD``), never "tomorrow" at
the time of fetching: a subscribed calendar fetches again and again, and its
reminders must stay put. The same address therefore always gives the same
bytes (DTSTAMP is when an exercise last changed), so the file can be cached
like a page, and a change to an exercise retires it.

``exercises`` may not import ``classes`` (tests/project/test_dependencies.py),
so the few lines of iCalendar plumbing that ``classes/calendar.py`` also has
are written again here rather than shared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

from .models import MOST_TIMES_A_DAY, Exercise

PRODID = "-//BackCare//Back-care reminders//EN"
LONDON = ZoneInfo("Europe/London")
# The times of day for 1 to 4 reminders a day: each list holds the one before it where it can,
# so a routine's exercises done "once a day" and "morning and night" are reminded together.
TIMES_OF_DAY: dict[int, tuple[time, ...]] = {
    1: (time(8),),
    2: (time(8), time(20)),
    3: (time(8), time(13), time(20)),
    4: (time(8), time(12), time(16), time(20)),
}
FROM_PARAM = "from"
# How far ahead the reader may start (a calendar of reminders a year away helps no one).
FURTHEST_START = timedelta(days=365)
REFRESH = timedelta(days=1)
# SEQUENCE counts the seconds from this moment to the exercises' last change: it grows with every
# edit of an exercise, which is what a calendar app compares (and stays within 32 bits until 2094).
SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=LONDON)


@dataclass(frozen=True)
class Reminder:
    """One moment to do one or more exercises."""

    starts_at: datetime
    exercises: tuple[Exercise, ...]

    @property
    def minutes(self) -> int:
        return sum(exercise.minutes for exercise in self.exercises)


def times_of_day(exercise: Exercise) -> tuple[time, ...]:
    return TIMES_OF_DAY[min(max(exercise.times_a_day, 1), MOST_TIMES_A_DAY)]


def plan(exercises: Sequence[Exercise], start: date) -> list[Reminder]:
    """Every reminder for ``exercises`` from ``start``, in time order, each exercise by its own dosage."""
    due: dict[datetime, list[Exercise]] = {}
    for exercise in exercises:
        for day in range(max(exercise.reminder_days, 1)):
            for at in times_of_day(exercise):
                moment = datetime.combine(start + timedelta(days=day), at, tzinfo=LONDON)
                due.setdefault(moment, []).append(exercise)
    return [Reminder(moment, tuple(group)) for moment, group in sorted(due.items())]


def parse_day(value: str | None) -> date | None:
    """A first day as the calendar file's address gives it (any real date: a subscribed calendar
    keeps fetching the same address long after that day)."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def first_day(value: str | None, *, today: date) -> tuple[date, str]:
    """The day the reminders start: the reader's choice, or tomorrow with a word on why not."""
    tomorrow = today + timedelta(days=1)
    if not value:
        return tomorrow, ""
    chosen = parse_day(value)
    if chosen is None:
        return tomorrow, _("We could not read that date, so the reminders start tomorrow.")
    if not today <= chosen <= today + FURTHEST_START:
        return tomorrow, _(
            "Reminders can start on any day from today to a year ahead, so they start tomorrow."
        )
    return chosen, ""


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def webcal_url(path: str) -> str:
    return "webcal://" + urlsplit(settings.SITE_URL).netloc + path


def reminders_path(routine_query: str, start: date) -> str:
    """The calendar file's address for a routine (its ``e=…`` query) from ``start``."""
    return f"{reverse('routine:reminders')}?{routine_query}&{urlencode({FROM_PARAM: start.isoformat()})}"


def title(exercises: Sequence[Exercise]) -> str:
    if len(exercises) == 1:
        return exercises[0].title
    return _("My routine: %(titles)s") % {"titles": ", ".join(exercise.title for exercise in exercises)}


def _page_url(exercises: Sequence[Exercise], routine_url: str) -> str:
    return settings.SITE_URL + (exercises[0].get_absolute_url() if len(exercises) == 1 else routine_url)


def _description(reminder: Reminder) -> str:
    lines = []
    for exercise in reminder.exercises:
        lines += [
            f"{exercise.title}: {exercise.repetitions}, {exercise.duration}",
            settings.SITE_URL + exercise.get_absolute_url(),
            "",
        ]
    return "\n".join([*lines, _("Move gently, and stop if anything hurts.")])


def _uid(slugs: Sequence[str], reminder: Reminder) -> str:
    """The same routine at the same moment is the same event, whatever the language or start day."""
    key = hashlib.sha256(",".join(sorted(slugs)).encode()).hexdigest()[:16]
    return f"reminder-{key}-{reminder.starts_at:%Y%m%dT%H%M}@{site_host()}"


def build_calendar(exercises: Sequence[Exercise], *, start: date, routine_url: str) -> Calendar:
    """The reminders of ``exercises`` (one exercise, or a routine shown at ``routine_url``) from ``start``."""
    name = title(exercises)
    slugs = [exercise.slug for exercise in exercises]
    calendar = Calendar.new(
        prodid=PRODID,
        name=_("Reminders: %(title)s") % {"title": name},
        uid=f"reminders-{hashlib.sha256(','.join(sorted(slugs)).encode()).hexdigest()[:16]}@{site_host()}",
    )
    calendar.add("X-WR-TIMEZONE", "Europe/London")
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH).to_ical().decode())
    changed = max(exercise.updated_at for exercise in exercises)
    sequence = max(int((changed - SEQUENCE_EPOCH).total_seconds()), 0)
    reminders = plan(exercises, start)
    for reminder in reminders:
        summary = title(reminder.exercises)
        event = Event.new(
            uid=_uid(slugs, reminder),
            stamp=changed,
            start=reminder.starts_at,
            end=reminder.starts_at + timedelta(minutes=reminder.minutes),
            summary=summary,
            description=_description(reminder),
            url=_page_url(reminder.exercises, routine_url),
            sequence=sequence,
        )
        alarm = Alarm.new(description=summary)
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    if reminders:
        calendar.add_missing_timezones(
            first_date=start - timedelta(days=366),
            last_date=reminders[-1].starts_at.date() + timedelta(days=366),
        )
    return calendar


def calendar_bytes(exercises: Sequence[Exercise], *, start: date, routine_url: str) -> bytes:
    return build_calendar(exercises, start=start, routine_url=routine_url).to_ical()
