import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.sign_in import sign_in
from tests.classes.factories import TeacherFactory, VenueFactory, teacher_login, weekly_course

# The Teachers group comes from a data migration; restore it for every test that flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_teacher_moves_one_session_and_cancels_another_and_readers_see_both(page, live_server, axe):
    _user, teacher = teacher_login("gwen", name="Gwen Teacher")
    today = timezone.localdate()
    course = weekly_course(today + timedelta(days=7), weeks=4, teachers=[teacher], title="Gentle backs")
    first, second = course.sessions.all()[:2]
    moved_to = first.date + timedelta(days=1)

    sign_in(page, "gwen", "pw", next_url=reverse("admin:classes_course_changelist"))
    page.get_by_role("link", name="Gentle backs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change course")
    axe(page)

    page.locator("input[name='sessions-0-date']").fill(moved_to.strftime("%d/%m/%Y"))
    page.locator("input[name='sessions-1-is_cancelled']").check()
    page.locator("input[name='sessions-1-cancellation_reason_en_gb']").fill("Hall booked for an election")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(course.get_absolute_url())
    dates = page.locator(".session-list")
    expect(dates).to_contain_text(long_date(moved_to))
    expect(dates.locator("del")).to_have_text(re.compile(re.escape(long_date(second.date))))
    expect(dates).to_contain_text("Cancelled: Hall booked for an election")
    axe(page)


def test_reader_filters_by_town_and_downloads_the_calendar(page, live_server, axe):
    today = timezone.localdate()
    teacher = TeacherFactory(name="Siân Teacher", bio="I teach in Borth.")
    weekly_course(
        today + timedelta(days=3), weeks=3, title="Aber backs", venue=VenueFactory(town="Aberystwyth")
    )
    borth = weekly_course(
        today + timedelta(days=4),
        weeks=3,
        title="Borth backs",
        venue=VenueFactory(town="Borth"),
        teachers=[teacher],
    )

    page.goto(reverse("classes:list"))
    axe(page)
    page.get_by_label("Town").select_option("Borth")
    page.get_by_role("button", name="Show classes").click()
    expect(page.get_by_role("status")).to_contain_text("1 course matches.")
    expect(page.get_by_role("link", name="Aber backs")).to_have_count(0)
    page.get_by_role("link", name="Borth backs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Borth backs")
    axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download, without reminders").click()
    download = download_info.value
    assert download.suggested_filename == f"{borth.slug}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    assert len(calendar.events) == 3
    assert {str(event["SUMMARY"]) for event in calendar.events} == {"Borth backs"}

    page.get_by_role("link", name="Siân Teacher", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Siân Teacher")
    expect(page.get_by_text(f"Next course starts on {long_date(today + timedelta(days=4))}.")).to_be_visible()
    axe(page)


def test_teacher_on_a_phone_moves_a_session_and_cancels_another_from_the_start_page(page, live_server, axe):
    _user, teacher = teacher_login("gwen", name="Gwen Teacher")
    today = timezone.localdate()
    course = weekly_course(today + timedelta(days=7), weeks=4, teachers=[teacher], title="Gentle backs")
    first, second = course.sessions.all()[:2]
    moved_to = first.date + timedelta(days=1)

    sign_in(page, "gwen", "pw")
    expect(page.get_by_role("heading", name="Your courses")).to_be_visible()
    assert_fits_the_phone(page)
    axe(page)

    page.get_by_role("link", name=f"Move {first.date:%A} {first.date.day} {first.date:%B}").click()
    date_input = page.get_by_label("New date")
    assert date_input.get_attribute("type") == "date"
    assert page.get_by_label("Starts at").get_attribute("type") == "time"
    assert_fits_the_phone(page)
    date_input.fill(moved_to.isoformat())
    page.get_by_role("button", name="Move this session").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Readers now see the session of {first.date:%A} {first.date.day} {first.date:%B} "
        f"on {moved_to:%A} {moved_to.day} {moved_to:%B}, 19:00 to 20:15."
    )

    page.get_by_role("link", name=f"Cancel {second.date:%A} {second.date.day} {second.date:%B}").click()
    page.get_by_label("Why is it cancelled?").fill("teacher away")
    page.get_by_role("button", name="Cancel this session").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Readers now see {second.date:%A} {second.date.day} {second.date:%B} as cancelled: teacher away."
    )
    expect(page.locator(f"#course-{course.pk}")).to_contain_text("Cancelled: teacher away")
    axe(page)

    page.goto(course.get_absolute_url())
    dates = page.locator(".session-list")
    expect(dates).to_contain_text(long_date(moved_to))
    expect(dates.locator("del")).to_have_text(re.compile(re.escape(long_date(second.date))))
    expect(dates).to_contain_text("Cancelled: teacher away")

    calendar = Calendar.from_ical(page.request.get(reverse("classes:calendar", args=[course.slug])).body())
    starts = {event.decoded("DTSTART").date(): event for event in calendar.events}
    assert moved_to in starts
    assert first.date not in starts
    assert str(starts[second.date]["STATUS"]) == "CANCELLED"


def assert_fits_the_phone(page) -> None:
    """No sideways scrolling at 390px: the page is no wider than the window."""
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, f"The page is {scroll_width}px wide on a {client_width}px screen"
