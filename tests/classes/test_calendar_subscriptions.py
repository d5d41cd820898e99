"""Calendars that stay current and remind: webcal:// links beside the downloads, the reader's
choice of a reminder an hour before, UIDs with the site's host, SEQUENCE on every change a
calendar app must notice, and a cached feed that a change retires. Every file is read by two
independent parsers: icalendar (which writes it) and vobject."""

from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from classes.models import Course
from tests.classes.factories import weekly_course

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOST = "backcare.example.org"


@pytest.fixture(autouse=True)
def _site(settings, monkeypatch):
    settings.SITE_URL = f"https://{HOST}"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 10, 1))


@pytest.fixture
def course():
    return weekly_course(
        date(2026, 10, 13), weeks=3, start_time=time(19), end_time=time(20, 15), title="Backs"
    )


def fetch(client, url: str, **query) -> tuple[Calendar, vobject.base.Component, str]:
    """The calendar at ``url`` as both parsers read it, and its text."""
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    return Calendar.from_ical(response.content), vobject.readOne(text), text


def by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.events}


class Links(HTMLParser):
    """Each link's address and the text a screen reader announces (hidden text included)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            self._open = []
            self._href, self._download = attributes.get("href", ""), "download" in attributes

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append((self._href, " ".join("".join(self._open).split()), self._download))
            self._open = None


def links_on(client, url: str) -> list[tuple[str, str, bool]]:
    parser = Links()
    parser.feed(client.get(url).content.decode())
    return parser.links


# --- Links beside the download -------------------------------------------------


def test_the_course_page_offers_subscribe_and_download_with_or_without_a_reminder(client, course):
    ics = reverse("classes:calendar", args=[course.slug])
    links = links_on(client, course.get_absolute_url())
    assert (
        f"webcal://{HOST}{ics}?reminder=hour",
        "Subscribe, with a reminder an hour before",
        False,
    ) in links
    assert (f"webcal://{HOST}{ics}", "Subscribe, without reminders", False) in links
    assert (f"{ics}?reminder=hour", "Download, with a reminder an hour before", True) in links
    assert (ics, "Download, without reminders", True) in links


def test_the_classes_page_offers_the_all_classes_feed_the_same_ways(client, course):
    feed = reverse("classes:feed")
    links = links_on(client, reverse("classes:list"))
    assert (
        f"webcal://{HOST}{feed}?reminder=hour",
        "Subscribe, with a reminder an hour before",
        False,
    ) in links
    assert (f"webcal://{HOST}{feed}", "Subscribe, without reminders", False) in links
    assert (f"{feed}?reminder=hour", "Download, with a reminder an hour before", True) in links


def test_the_welsh_page_links_to_the_welsh_feed_in_welsh(client, course):
    with translation.override("cy"):
        ics = reverse("classes:calendar", args=[course.slug])
        page = course.get_absolute_url()
    assert ics.startswith("/cy/")
    links = links_on(client, page)
    assert (
        f"webcal://{HOST}{ics}?reminder=hour",
        "Tanysgrifio, gyda nodyn atgoffa awr ymlaen llaw",
        False,
    ) in links
    assert (ics, "Lawrlwytho, heb nodiadau atgoffa", True) in links


def test_the_subscription_is_the_download_s_own_feed(client, course):
    ics = reverse("classes:calendar", args=[course.slug])
    webcal = next(
        href for href, _, _ in links_on(client, course.get_absolute_url()) if href.startswith("webcal:")
    )
    fetched = client.get(webcal.removeprefix(f"webcal://{HOST}"))
    assert fetched.content == client.get(ics, {"reminder": "hour"}).content


def test_a_subscribed_calendar_is_told_how_often_to_look_again(client, course):
    for url in (reverse("classes:feed"), reverse("classes:calendar", args=[course.slug])):
        calendar, parsed, text = fetch(client, url)
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in text
        assert "X-PUBLISHED-TTL:PT6H" in text
        assert parsed.contents["refresh-interval"][0].value == "PT6H"
        assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"


# --- The reader's choice of a reminder ----------------------------------------


def test_a_reminder_an_hour_before_each_session_when_the_reader_asks(client, course):
    calendar, parsed, _ = fetch(client, reverse("classes:calendar", args=[course.slug]), reminder="hour")
    alarms = [alarm for event in calendar.events for alarm in event.subcomponents]
    assert len(alarms) == 3
    assert {alarm["ACTION"] for alarm in alarms} == {"DISPLAY"}
    assert {alarm["TRIGGER"].dt for alarm in alarms} == {timedelta(hours=-1)}
    assert {str(alarm["DESCRIPTION"]) for alarm in alarms} == {"Backs"}
    # The second parser reads the same alarms.
    assert [event.valarm.trigger.value for event in parsed.vevent_list] == [timedelta(hours=-1)] * 3


def test_no_reminders_unless_asked(client, course):
    _, parsed, text = fetch(client, reverse("classes:calendar", args=[course.slug]))
    assert "BEGIN:VALARM" not in text
    assert len(parsed.vevent_list) == 3
    assert fetch(client, reverse("classes:feed"), reminder="yes please")[2].count("BEGIN:VALARM") == 0


def test_the_all_classes_feed_reminds_too(client, course):
    weekly_course(date(2026, 11, 2), weeks=2)
    _, parsed, text = fetch(client, reverse("classes:feed"), reminder="hour")
    assert text.count("BEGIN:VALARM") == 5
    assert len(parsed.vevent_list) == 5


def test_a_cancelled_session_has_no_reminder(client, course):
    session = course.sessions.first()
    session.is_cancelled, session.cancellation_reason = True, "Hall flooded"
    session.save()
    calendar, parsed, _ = fetch(client, reverse("classes:calendar", args=[course.slug]), reminder="hour")
    event = by_uid(calendar)[f"session-{session.pk}@{HOST}"]
    assert event["STATUS"] == "CANCELLED"
    assert event.subcomponents == []
    cancelled = next(e for e in parsed.vevent_list if e.uid.value == f"session-{session.pk}@{HOST}")
    assert cancelled.status.value == "CANCELLED"
    assert "valarm" not in cancelled.contents


# --- UIDs and SEQUENCE ---------------------------------------------------------


def test_uids_carry_the_site_s_host_for_both_parsers(client, course):
    calendar, parsed, _ = fetch(client, reverse("classes:calendar", args=[course.slug]))
    expected = [f"session-{pk}@{HOST}" for pk in course.sessions.values_list("pk", flat=True)]
    assert sorted(by_uid(calendar)) == sorted(expected)
    assert sorted(event.uid.value for event in parsed.vevent_list) == sorted(expected)
    assert str(calendar["UID"]) == f"course-{course.pk}@{HOST}"


def test_uids_do_not_follow_the_address_a_request_came_in_by(client, course):
    url = reverse("classes:calendar", args=[course.slug])
    first = client.get(url, HTTP_HOST="127.0.0.1").content
    assert first == client.get(url, HTTP_HOST="localhost").content


def sequences(client, course: Course) -> dict[str, int]:
    calendar, parsed, _ = fetch(client, reverse("classes:calendar", args=[course.slug]))
    assert {e.uid.value: int(e.sequence.value) for e in parsed.vevent_list} == {
        uid: int(event["SEQUENCE"]) for uid, event in by_uid(calendar).items()
    }
    return {uid: int(event["SEQUENCE"]) for uid, event in by_uid(calendar).items()}


def test_a_new_course_title_is_a_new_version_of_every_session_with_the_same_uids(client, course, committed):
    before = sequences(client, course)
    with committed():
        course.title = "Yoga for backs, Borth"
        course.save()
    after = sequences(client, course)
    assert after.keys() == before.keys()
    assert all(after[uid] == before[uid] + 1 for uid in before)
    calendar, _, _ = fetch(client, reverse("classes:calendar", args=[course.slug]))
    assert {str(event["SUMMARY"]) for event in calendar.events} == {"Yoga for backs, Borth"}


def test_a_new_welsh_description_is_a_new_version_too(client, course, committed):
    before = sequences(client, course)
    with committed():
        course.description_cy = "Cwrs newydd."
        course.save()
    assert all(value == before[uid] + 1 for uid, value in sequences(client, course).items())


def test_a_venue_s_new_address_is_a_new_version_of_its_sessions(client, course, committed):
    other = weekly_course(date(2026, 11, 2), weeks=1)
    before, other_before = sequences(client, course), sequences(client, other)
    venue = course.venue
    with committed():
        venue.address = "2 Example Street"
        venue.save()
    assert all(value == before[uid] + 1 for uid, value in sequences(client, course).items())
    assert sequences(client, other) == other_before  # another venue: nothing changed there
    calendar, _, _ = fetch(client, reverse("classes:calendar", args=[course.slug]))
    assert all("2 Example Street" in str(event["LOCATION"]) for event in calendar.events)


def test_moving_a_course_to_another_venue_is_a_new_version(client, course, committed):
    other = weekly_course(date(2026, 11, 2), weeks=1)
    before = sequences(client, course)
    with committed():
        course.venue = other.venue
        course.save()
    assert all(value == before[uid] + 1 for uid, value in sequences(client, course).items())


def test_a_change_to_places_left_leaves_the_events_alone(client, course, committed):
    before = sequences(client, course)
    with committed():
        course.places_left = 1
        course.save()
    assert sequences(client, course) == before


def test_a_moved_session_s_sequence_grows_for_both_parsers(client, course, committed):
    session = course.sessions.first()
    with committed():
        session.start_time, session.end_time = time(18), time(19)
        session.save()
    calendar, parsed, _ = fetch(client, reverse("classes:calendar", args=[course.slug]))
    event = by_uid(calendar)[f"session-{session.pk}@{HOST}"]
    assert event.start == datetime(2026, 10, 13, 18, tzinfo=LONDON)
    assert event["SEQUENCE"] == 1
    moved = next(e for e in parsed.vevent_list if e.uid.value == f"session-{session.pk}@{HOST}")
    assert moved.dtstart.value.astimezone(LONDON) == datetime(2026, 10, 13, 18, tzinfo=LONDON)


# --- Cached feeds are retired by a change --------------------------------------


@pytest.mark.parametrize("query", [{}, {"reminder": "hour"}])
def test_a_cached_feed_shows_a_cancellation_at_once(client, course, committed, query):
    url = reverse("classes:feed")
    client.get(url, query)
    assert client.get(url, query)["X-Page-Cache"] == "hit"
    session = course.sessions.first()
    with committed():
        session.is_cancelled, session.cancellation_reason = True, "Teacher unwell"
        session.save()
    response = client.get(url, query)
    assert response["X-Page-Cache"] == "miss"
    assert (
        by_uid(Calendar.from_ical(response.content))[f"session-{session.pk}@{HOST}"]["STATUS"] == "CANCELLED"
    )


def test_a_cached_course_calendar_shows_a_venue_change_at_once(client, course, committed):
    url = reverse("classes:calendar", args=[course.slug])
    client.get(url, {"reminder": "hour"})
    assert client.get(url, {"reminder": "hour"})["X-Page-Cache"] == "hit"
    with committed():
        venue = course.venue
        venue.name = "Borth Community Hall"
        venue.save()
    calendar = Calendar.from_ical(client.get(url, {"reminder": "hour"}).content)
    assert all(str(event["LOCATION"]).startswith("Borth Community Hall") for event in calendar.events)
    assert {int(event["SEQUENCE"]) for event in calendar.events} == {1}
