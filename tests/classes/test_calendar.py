from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from classes.models import Course, Session
from tests.classes.factories import CourseFactory, weekly_course

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def download(client, course: Course) -> Calendar:
    response = client.get(reverse("classes:calendar", args=[course.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.fixture
def autumn_course(settings):
    """Weekly at 19:00 across the end of British Summer Time (Sunday 25 October 2026)."""
    settings.SITE_URL = "https://backcare.example.org"
    return weekly_course(date(2026, 10, 13), weeks=4, start_time=time(19), end_time=time(20, 15))


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 10, 1))


def test_course_calendar_has_one_event_per_session(client, autumn_course):
    assert len(download(client, autumn_course).events) == 4


def test_session_times_stay_at_seven_pm_london_time_across_the_end_of_summer_time(client, autumn_course):
    events = sorted(download(client, autumn_course).events, key=lambda event: event.start)
    starts = [event.start for event in events]
    assert [start.astimezone(LONDON).time() for start in starts] == [time(19)] * 4
    assert [start.utcoffset() for start in starts] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(0),
        timedelta(0),
    ]


def test_session_times_are_written_as_local_times_with_a_tzid(client, autumn_course):
    content = client.get(reverse("classes:calendar", args=[autumn_course.slug])).content.decode()
    assert "DTSTART;TZID=Europe/London:20261013T190000" in content
    assert "DTSTART;TZID=Europe/London:20261027T190000" in content


def test_the_calendar_carries_the_europe_london_timezone_with_both_clock_changes(client, autumn_course):
    calendar = download(client, autumn_course)
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()
    vtimezone = calendar.timezones[0].to_ical().decode()
    assert "TZOFFSETTO:+0100" in vtimezone
    assert "TZOFFSETTO:+0000" in vtimezone


def test_session_uids_are_stable_between_downloads(client, autumn_course):
    first = [str(event["UID"]) for event in download(client, autumn_course).events]
    second = [str(event["UID"]) for event in download(client, autumn_course).events]
    assert first == second
    assert first == [
        f"session-{pk}@backcare.example.org" for pk in autumn_course.sessions.values_list("pk", flat=True)
    ]


def test_the_same_data_gives_the_same_calendar_bytes(client, autumn_course):
    url = reverse("classes:calendar", args=[autumn_course.slug])
    assert client.get(url).content == client.get(url).content


def test_a_cancelled_session_is_marked_cancelled_with_its_reason(client, autumn_course):
    session = autumn_course.sessions.first()
    session.is_cancelled, session.cancellation_reason = True, "Hall flooded"
    session.save()
    event = next(
        e
        for e in download(client, autumn_course).events
        if str(e["UID"]) == f"session-{session.pk}@backcare.example.org"
    )
    assert event["STATUS"] == "CANCELLED"
    assert "Hall flooded" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 1


def test_held_sessions_are_confirmed(client, autumn_course):
    assert {str(event["STATUS"]) for event in download(client, autumn_course).events} == {"CONFIRMED"}


def test_moving_a_session_keeps_its_uid_and_raises_its_sequence(client, autumn_course):
    session = autumn_course.sessions.first()
    session.date = date(2026, 10, 14)
    session.save()
    event = next(
        e
        for e in download(client, autumn_course).events
        if str(e["UID"]) == f"session-{session.pk}@backcare.example.org"
    )
    assert event.start == datetime(2026, 10, 14, 19, tzinfo=LONDON)
    assert event["SEQUENCE"] == 1


def test_the_feed_has_every_session_of_every_upcoming_published_course(client, autumn_course):
    weekly_course(date(2026, 11, 2), weeks=2)
    weekly_course(date(2026, 11, 2), weeks=2, is_published=False)
    weekly_course(date(2026, 9, 1), weeks=2)  # already over
    response = client.get(reverse("classes:feed"))
    assert len(Calendar.from_ical(response.content).events) == 6


def test_an_unpublished_course_has_no_calendar(client):
    course = CourseFactory(is_published=False)
    Session.objects.create(course=course, date=date(2026, 11, 2), start_time=time(19), end_time=time(20))
    assert client.get(reverse("classes:calendar", args=[course.slug])).status_code == 404
