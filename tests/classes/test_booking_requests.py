"""Asking for a place: the public form, its spam check through the one intake, its limit, the
warning signs in the note, and the double opt-in link, in the language of the page."""

import akismet
import pytest
from django.urls import reverse

from akismet_service import api
from classes import bookings
from classes.models import Booking, Course
from tests.classes.booking_helpers import ask, booking, course_for, gwen, link_in

pytestmark = pytest.mark.django_db

TEST_CONFIG = akismet.Config(key="test-key", url="http://127.0.0.1/")


@pytest.fixture
def course():
    return course_for(gwen()[1])


@pytest.fixture
def akismet_calls(monkeypatch, akismet_sync_class):
    calls = []

    class RecordingClient(akismet_sync_class):
        def comment_check(self, user_ip, **kwargs):
            calls.append({"user_ip": user_ip, **kwargs})
            return super().comment_check(user_ip, **kwargs)

    monkeypatch.setattr(api, "get_client", lambda **kwargs: RecordingClient(config=TEST_CONFIG))
    return calls


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_asking_saves_an_unconfirmed_request_checks_it_and_emails_a_confirmation_link(
    client, course, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask(
        client, django_capture_on_commit_callbacks, course, note="I use a stick.", phone="01970 000000"
    )
    assert response["Location"] == reverse("classes:booking_sent", args=[course.slug])
    request = Booking.objects.get()
    assert (request.status, request.verdict, request.note) == ("unconfirmed", "ham", "I use a stick.")
    [call] = akismet_calls
    assert call["comment_content"] == "I use a stick."
    assert call["comment_author_email"] == "reader@example.org"
    assert call["user_ip"] == "192.0.2.10"
    [email] = mailoutbox
    assert email.to == ["reader@example.org"]
    assert "Gentle backs" in email.subject
    link_in(email, "confirm")


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_spam_is_deleted_unsent_and_the_spammer_sees_the_same_page(
    client, course, akismet_calls, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks, course)
    assert response["Location"] == reverse("classes:booking_sent", args=[course.slug])
    assert not Booking.objects.exists()
    assert mailoutbox == []


def test_when_akismet_cannot_say_the_link_is_still_emailed(
    client, course, mailoutbox, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks, course)  # no key: Akismet is not asked
    assert Booking.objects.get().verdict == Booking.Verdict.UNKNOWN
    assert len(mailoutbox) == 1


def test_a_form_with_errors_keeps_what_was_typed(client, course, django_capture_on_commit_callbacks):
    response = ask(
        client, django_capture_on_commit_callbacks, course, email="not an address", note="Bad knee"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Bad knee" in html
    assert not Booking.objects.exists()


def test_the_sixth_request_in_an_hour_from_one_address_is_refused_and_keeps_its_text(
    client, course, django_capture_on_commit_callbacks
):
    for n in range(5):
        assert (
            ask(client, django_capture_on_commit_callbacks, course, email=f"r{n}@example.org").status_code
            == 302
        )
    response = ask(client, django_capture_on_commit_callbacks, course, email="r6@example.org", note="Sixth")
    assert response.status_code == 429
    assert "You have asked for several places in the last hour" in response.content.decode()
    assert "Sixth" in response.content.decode()
    assert Booking.objects.count() == 5


def test_asking_twice_with_one_address_makes_one_request(client, course, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks, course)
    ask(client, django_capture_on_commit_callbacks, course, email="Reader@Example.org", note="Again")
    assert Booking.objects.get().note == "Again"


def test_a_note_describing_warning_signs_shows_urgent_advice_and_is_flagged_for_the_teacher(
    client, course, django_capture_on_commit_callbacks
):
    response = ask(
        client,
        django_capture_on_commit_callbacks,
        course,
        note="Since Monday I have numbness around my bottom",
    )
    assert response["Location"].startswith(reverse("safety:help_now"))
    assert "Describes warning signs" in Booking.objects.get().warning_signs


def test_confirming_the_address_sends_the_request_to_the_teacher_only_on_post(
    client, course, mailoutbox, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks, course)
    url = link_in(mailoutbox[0], "confirm")
    page = client.get(url)
    assert "Yes, ask for my place" in page.content.decode()
    assert Booking.objects.get().status == "unconfirmed"
    done = client.post(url)
    assert "Your request is with the teacher" in done.content.decode()
    request = Booking.objects.get()
    assert request.status == "requested"
    assert (request.ip_address, request.user_agent) == (None, "")


def test_a_tampered_link_is_refused(client, course):
    response = client.get(reverse("classes:booking_confirm", args=["abc:def"]))
    assert response.status_code == 400
    assert "The link is not complete" in response.content.decode()


def test_a_request_from_the_welsh_pages_is_answered_in_welsh(
    client, course, mailoutbox, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks, course, prefix="/cy")
    assert Booking.objects.get().language == "cy"
    [email] = mailoutbox
    assert "Cadarnhewch" in email.subject
    assert "/cy/classes/places/confirm/" in email.body


def test_the_course_page_offers_the_form_and_a_full_course_its_waiting_list(
    client, course, django_capture_on_commit_callbacks
):
    assert "Ask for a place" in client.get(course.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        booking(course, "confirmed", email="a@example.org")
        booking(course, "confirmed", email="b@example.org")
        bookings.refill(course.pk)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "Join the waiting list" in html
    assert "0 of 2 left" in html


def test_sending_the_form_again_and_again_emails_one_inbox_at_most_three_times(
    client, course, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(5):
        ask(client, django_capture_on_commit_callbacks, course, note=f"Try {n}")
    assert Booking.objects.count() == 1
    assert len(mailoutbox) == bookings.CONFIRMATIONS_PER_REQUEST


@pytest.mark.parametrize("status", [Course.BookingStatus.FULL, Course.BookingStatus.CANCELLED])
def test_a_course_marked_full_or_cancelled_takes_no_requests(
    client, course, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course.booking_status = status
        course.save()
    assert "Ask for a place" not in client.get(course.get_absolute_url()).content.decode()
    response = ask(client, django_capture_on_commit_callbacks, course)
    assert response.status_code == 410
    assert "This course takes no more requests" in response.content.decode()
    assert not Booking.objects.exists()
