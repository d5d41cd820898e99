"""Booking a place, end to end at 390 px: a reader asks and confirms by e-mail, the teacher
confirms on a phone and cancels a session with a quick action, the reader is e-mailed and the
calendar feed shows the session cancelled; a full course's waiting list gets the freed place."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from classes.models import Booking
from tests.browser.sign_in import sign_in
from tests.classes.factories import teacher_login, weekly_course

# The Teachers group comes from a data migration; restore it for every test that flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def link(to: str, name: str) -> str:
    """The path of the ``name`` link in the latest e-mail to ``to``."""
    message = [email for email in mail.outbox if email.to == [to]][-1]
    match = re.search(r"https?://[^/\s]+(/classes/places/" + name + r"/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def ask_for_a_place(page, axe, course, *, name: str, email: str) -> None:
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name=re.compile("Ask for a place|Join the waiting list")).click()
    axe(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label("Anything the teacher should know (optional)").fill("I use a chair for floor work.")
    page.get_by_role("button", name=re.compile("Ask for a place|Join the waiting list")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    page.goto(link(email, "confirm"))
    axe(page)
    page.get_by_role("button", name="Yes, ask for my place").click()


def test_a_reader_books_the_teacher_confirms_then_cancels_a_session_and_the_waiting_list_moves_up(
    page, live_server, axe
):
    assert page.viewport_size["width"] == 390
    _user, teacher = teacher_login("gwen", name="Gwen Teacher")
    course = weekly_course(
        timezone.localdate() + timedelta(days=7),
        weeks=3,
        teachers=[teacher],
        title="Gentle backs",
        capacity=1,
        places_left=1,
    )
    first_session = course.sessions.first()

    ask_for_a_place(page, axe, course, name="Rhian Reader", email="rhian@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request is with the teacher")
    axe(page)

    sign_in(page, "gwen", "pw", next_url=reverse("admin:index"))
    requests = page.locator(f"#course-{course.pk} .your-requests")
    expect(requests).to_contain_text("Rhian Reader")
    expect(requests).to_contain_text("I use a chair for floor work.")
    axe(page)
    requests.get_by_role("button", name="Confirm place").click()
    expect(page.locator(".messagelist")).to_contain_text("Rhian Reader has a place")
    confirmed = [email for email in mail.outbox if email.to == ["rhian@example.org"]][-1]
    assert confirmed.attachments[0][0] == f"{course.slug}.ics"

    page.locator(f"#course-{course.pk} .your-session").first.get_by_role(
        "link", name=re.compile("^Cancel")
    ).click()
    page.get_by_label("Why is it cancelled?", exact=True).fill("Hall flooded")
    page.get_by_role("button", name="Cancel this session").click()
    expect(page.locator(".messagelist")).to_contain_text("1 person who is coming is being e-mailed.")
    axe(page)
    notice = [email for email in mail.outbox if email.to == ["rhian@example.org"]][-1]
    assert "is cancelled" in notice.subject
    assert "Hall flooded" in notice.body

    feed = Calendar.from_ical(page.request.get(reverse("classes:calendar", args=[course.slug])).body())
    status = {event.start.date(): str(event["STATUS"]) for event in feed.events}
    assert status[first_session.date] == "CANCELLED"

    # The course is full: the next reader joins the waiting list, and gets Rhian's place when she cancels.
    ask_for_a_place(page, axe, course, name="Tom Reader", email="tom@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
    expect(page.locator(".lead")).to_contain_text("number 1 on the waiting list")
    axe(page)

    page.goto(link("rhian@example.org", "cancel"))
    page.get_by_role("button", name="Yes, cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is cancelled")
    axe(page)

    page.goto(link("tom@example.org", "offer"))
    expect(page.locator(".lead")).to_contain_text("kept for you until")
    axe(page)
    page.get_by_role("button", name="Yes, I take the place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is confirmed")
    assert Booking.objects.get(email="tom@example.org").status == "confirmed"
    assert mail.outbox[-1].to == ["tom@example.org"]
    assert mail.outbox[-1].attachments[0][0] == f"{course.slug}.ics"
