"""Places left, the teacher's one tap, the waiting list and its offers, and readers cancelling."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from classes import booking_tokens, bookings
from classes.models import Booking, Course
from classes.quick_actions import PlacesForm
from tests.classes.booking_helpers import booking, course_for, gwen, kinds, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_for(gwen()[1], capacity=2)


def places(course) -> tuple[int, str]:
    course.refresh_from_db()
    return course.places_left, course.booking_status


def test_places_left_count_confirmed_places_and_places_taken_by_phone(course, committed):
    course.places_by_phone = 1
    course.save()
    with committed():
        bookings.decide(booking(course), confirm=True)
    assert places(course) == (0, Course.BookingStatus.WAITING_LIST)


def test_a_request_waiting_for_the_teacher_holds_no_place(course):
    booking(course)
    bookings.refill(course.pk)
    assert places(course) == (2, "open")


def test_confirming_emails_the_reader_the_course_calendar_in_their_language(course, committed, mailoutbox):
    with committed():
        bookings.decide(booking(course, language="cy"), confirm=True)
    [email] = mailoutbox
    assert "Gentle backs" in email.subject
    [(filename, content, mimetype)] = email.attachments
    assert (filename, mimetype) == (f"{course.slug}.ics", "text/calendar")
    assert len(Calendar.from_ical(content).events) == 3
    assert "/cy/classes/places/cancel/" in email.body


def test_declining_tells_the_reader(course, committed, mailoutbox):
    with committed():
        request = bookings.decide(booking(course), confirm=False)
    assert request.status == "declined"
    assert "cannot offer you a place" in mailoutbox[0].body


def test_confirming_when_the_course_has_filled_puts_the_request_on_the_waiting_list(course, committed):
    late = booking(course, email="late@example.org")
    with committed():
        for email in ["a@example.org", "b@example.org"]:
            bookings.decide(booking(course, email=email), confirm=True)
        assert bookings.decide(late, confirm=True).status == "waiting"
    assert bookings.waiting_position(late) == 1


def test_a_request_confirmed_by_email_when_the_course_is_full_joins_the_waiting_list_in_order(
    course, committed
):
    course.places_by_phone = 2
    course.save()
    first = booking(course, Booking.Status.UNCONFIRMED, email="first@example.org")
    second = booking(course, Booking.Status.UNCONFIRMED, email="second@example.org")
    bookings.confirm_address(first)
    bookings.confirm_address(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("waiting", "waiting")
    assert (bookings.waiting_position(first), bookings.waiting_position(second)) == (1, 2)


def full_with_two_waiting(course):
    confirmed = [booking(course, "confirmed", email=f"c{n}@example.org") for n in range(2)]
    first = booking(course, "waiting", email="first@example.org", minutes_ago=10)
    second = booking(course, "waiting", email="second@example.org", minutes_ago=5)
    bookings.refill(course.pk)
    return confirmed, first, second


def test_a_cancelled_place_is_offered_to_the_first_on_the_waiting_list_with_a_time_limit(
    course, committed, mailoutbox, client
):
    confirmed, first, second = full_with_two_waiting(course)
    with committed():
        bookings.cancel(confirmed[0])
    first.refresh_from_db()
    assert first.status == "offered"
    assert first.offer_expires_at > timezone.now() + timedelta(hours=bookings.OFFER_HOURS - 1)
    assert places(course) == (0, Course.BookingStatus.WAITING_LIST)  # held for the offer
    [offer] = mailoutbox
    assert offer.to == ["first@example.org"]
    url = link_in(offer, "offer")
    with committed():
        assert "Your place is confirmed" in client.post(url).content.decode()
    first.refresh_from_db()
    assert first.status == "confirmed"
    assert kinds() == ["offer", "confirmed"]
    second.refresh_from_db()
    assert second.status == "waiting"


def test_an_offer_not_taken_in_time_goes_to_the_next_person(course, committed, client):
    confirmed, first, second = full_with_two_waiting(course)
    with committed():
        bookings.cancel(confirmed[0])
    later = timezone.now() + timedelta(hours=bookings.OFFER_HOURS + 1)
    with committed():
        bookings.expire_offers(now=later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("lapsed", "offered")
    response = client.post(f"/classes/places/offer/{booking_tokens.offer_token(first)}/")
    assert "This offer has run out" in response.content.decode()


def test_more_places_taken_by_phone_than_are_free_is_refused_with_the_numbers(course):
    booking(course, "confirmed")
    form = PlacesForm({"places_by_phone": 2, "booking_status": "open"}, instance=course)
    assert not form.is_valid()
    assert "2 places in total and 1 taken on the site: give a number up to 1" in str(form.errors)


def test_fewer_places_taken_by_phone_offers_the_freed_place(course, committed):
    course.places_by_phone = 2
    course.save()
    waiting = booking(course, "waiting")
    form = PlacesForm({"places_by_phone": 1, "booking_status": "waiting"}, instance=course)
    assert form.is_valid(), form.errors
    with committed():
        form.save()
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_a_reader_cancels_from_the_signed_link_only_on_post(course, client, committed):
    place = booking(course, "confirmed")
    url = f"/classes/places/cancel/{booking_tokens.cancel_token(place)}/"
    assert "Yes, cancel my place" in client.get(url).content.decode()
    place.refresh_from_db()
    assert place.status == "confirmed"
    with committed():
        assert "Your place is cancelled" in client.post(url).content.decode()
    place.refresh_from_db()
    assert place.status == "cancelled"


def test_a_link_for_another_address_finds_nothing(course, client):
    place = booking(course, "confirmed")
    token = booking_tokens.cancel_token(place)
    Booking.objects.filter(pk=place.pk).update(email="someone.else@example.org")
    assert client.post(f"/classes/places/cancel/{token}/").status_code == 400
    place.refresh_from_db()
    assert place.status == "confirmed"
