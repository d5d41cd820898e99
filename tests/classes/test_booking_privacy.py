"""Place requests in data requests (export, erase), their retention purge and the privacy page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backcare import privacy
from classes.models import Booking, BookingMessage
from tests.classes.booking_helpers import booking, course_for, gwen

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_for(gwen()[1], capacity=1)


def test_the_export_has_every_place_request_and_what_was_emailed(course):
    booking(course, "confirmed", note="Bad knee", phone="01970 000000")
    from classes import bookings

    bookings.queue(Booking.objects.get(), BookingMessage.Kind.CONFIRMED)
    data = privacy.export(privacy.Person(emails=frozenset({"reader@example.org"})))
    [row] = data["place_requests"]
    assert (row["course"], row["note"], row["phone"], row["status"]) == (
        "Gentle backs",
        "Bad knee",
        "01970 000000",
        "confirmed",
    )
    assert row["emails_to_you"][0]["what"] == "Place confirmed, with the calendar"


def test_erasing_deletes_the_requests_and_gives_the_place_to_the_waiting_list(course, committed):
    booking(course, "confirmed")
    waiting = booking(course, "waiting", email="next@example.org")
    with committed():
        erased = privacy.erase(privacy.Person(emails=frozenset({"READER@example.org"})))
    assert erased.counts["place_requests"] == 1
    assert list(Booking.objects.values_list("email", flat=True)) == ["next@example.org"]
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_the_purge_deletes_unconfirmed_requests_after_a_week_and_all_after_the_course(course):
    old = booking(course, "unconfirmed", email="old@example.org")
    Booking.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    booking(course, "unconfirmed", email="new@example.org")
    booking(course, "confirmed", email="kept@example.org")
    call_command("purge_booking_data")
    assert set(Booking.objects.values_list("email", flat=True)) == {"new@example.org", "kept@example.org"}
    for n, session in enumerate(course.sessions.order_by("-date")):
        session.date = timezone.localdate() - timedelta(days=91 + 7 * n)
        session.save()
    call_command("purge_booking_data")
    assert not Booking.objects.exists()


def test_the_privacy_page_says_how_long_place_requests_are_kept(client):
    html = client.get("/privacy/").content.decode()
    assert "Asking for a place on a course" in html
    assert "A request you do not confirm: 7 days, then deleted." in html
    assert "Every other request: 90 days after the course’s last session, then deleted." in html
