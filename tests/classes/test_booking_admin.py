"""The teacher's side of place requests: the start page lists them with one-tap buttons (POST,
CSRF-checked), row-level like the course admin; moving or cancelling a session e-mails every
confirmed person in their language, and a mail server that is down loses nothing."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes.models import Booking, BookingMessage
from tests.classes.booking_helpers import booking, course_for
from tests.classes.conftest import change_form_data

pytestmark = pytest.mark.django_db


def B(name: str, *args) -> str:
    return reverse(f"admin:classes_booking_{name}", args=args)


def C(name: str, *args) -> str:
    return reverse(f"admin:classes_course_{name}", args=args)


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def alices(teacher_a):
    return course_for(teacher_a[1], title="Alice’s course")


@pytest.fixture
def bryns(teacher_b):
    return course_for(teacher_b[1], title="Bryn’s course")


def test_the_start_page_lists_requests_with_confirm_and_decline_buttons(alice, alices):
    booking(alices, name="Rhian Reader", note="Bad knee", phone="01970 000000")
    html = alice.get(reverse("admin:index")).content.decode()
    assert "Places asked for" in html
    assert "Rhian Reader" in html
    assert "Bad knee" in html
    assert html.count('<form method="post" action="/admin/classes/booking/') == 2
    assert "Confirm place" in html
    assert "Decline" in html


def test_one_tap_confirms_a_place_and_says_so(alice, alices, committed, mailoutbox):
    request = booking(alices, name="Rhian Reader")
    with committed():
        response = alice.post(B("confirm", request.pk), follow=True)
    assert "Rhian Reader has a place: we have e-mailed them the dates." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "confirmed"
    assert len(mailoutbox) == 1


def test_the_tap_is_a_post_and_checks_csrf(teacher_a, alices):
    request = booking(alices)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(teacher_a[0])
    assert browser.get(B("confirm", request.pk)).status_code == 405
    assert browser.post(B("confirm", request.pk)).status_code == 403
    request.refresh_from_db()
    assert request.status == "requested"


def test_a_teacher_never_sees_or_decides_another_teachers_requests(alice, alices, bryns):
    theirs = booking(bryns, name="Secret Reader")
    assert "Secret Reader" not in alice.get(reverse("admin:index")).content.decode()
    assert "Secret Reader" not in alice.get(B("changelist")).content.decode()
    assert alice.get(B("change", theirs.pk)).status_code == 404
    assert alice.post(B("confirm", theirs.pk)).status_code == 404
    assert alice.post(B("decline", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "requested"


def test_a_teacher_cannot_filter_on_what_is_hidden_from_them(alice, alices):
    booking(alices)
    response = alice.get(B("changelist") + "?ip_address__isnull=True")
    assert response.status_code == 400


def test_an_editor_sees_every_request(editor_client, alices, bryns):
    booking(alices, name="Olwen Reader")
    booking(bryns, name="Twm Reader")
    html = editor_client.get(B("changelist")).content.decode()
    assert "Olwen Reader" in html
    assert "Twm Reader" in html


def test_cancelling_a_session_with_the_quick_action_emails_everyone_coming_in_their_language(
    alice, alices, committed, mailoutbox
):
    booking(alices, "confirmed", email="en@example.org")
    booking(alices, "confirmed", email="cy@example.org", language="cy")
    booking(alices, "waiting", email="not.coming@example.org")
    session = alices.sessions.first()
    with committed():
        response = alice.post(
            C("cancel_session", alices.pk, session.pk),
            {"cancellation_reason_en_gb": "Hall flooded", "cancellation_reason_cy": "Neuadd dan ddŵr"},
            follow=True,
        )
    assert "2 people who are coming are being e-mailed." in response.content.decode()
    by_address = {email.to[0]: email for email in mailoutbox}
    assert set(by_address) == {"en@example.org", "cy@example.org"}
    assert "is cancelled" in by_address["en@example.org"].subject
    assert "Hall flooded" in by_address["en@example.org"].body
    assert "Neuadd dan ddŵr" in by_address["cy@example.org"].body


def test_moving_a_session_emails_the_new_date(alice, alices, committed, mailoutbox):
    booking(alices, "confirmed")
    session = alices.sessions.first()
    new_day = session.date + timedelta(days=1)
    with committed():
        alice.post(
            C("move_session", alices.pk, session.pk),
            {"date": new_day.isoformat(), "start_time": "10:00", "end_time": "11:00"},
        )
    [email] = mailoutbox
    assert "has moved" in email.subject
    assert f"{new_day:%A} {new_day.day} {new_day:%B %Y}, 10:00 to 11:00" in email.body


def test_moving_a_session_in_the_full_course_form_emails_too(alice, alices, committed, mailoutbox):
    booking(alices, "confirmed")
    first = alices.sessions.first()
    data = change_form_data(alices)
    data["sessions-0-date"] = (first.date + timedelta(days=1)).isoformat()
    with committed():
        response = alice.post(C("change", alices.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [email] = mailoutbox
    assert "has moved" in email.subject


def test_when_mail_is_down_the_notice_waits_unsent_and_the_sweep_sends_it(
    alice, alices, committed, mailoutbox, settings
):
    booking(alices, "confirmed")
    session = alices.sessions.first()
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}
    with committed():
        response = alice.post(
            C("cancel_session", alices.pk, session.pk),
            {"cancellation_reason_en_gb": "Hall flooded"},
        )
    assert response.status_code == 302
    notice = BookingMessage.objects.get()
    assert notice.sent_at is None
    assert "Connection unexpectedly closed" in notice.last_error
    settings.MAILERS = working
    BookingMessage.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    call_command("sweep_bookings")
    notice.refresh_from_db()
    assert notice.sent_at is not None
    [email] = mailoutbox
    assert "Hall flooded" in email.body


def test_places_taken_by_phone_in_the_course_list_recount_places_left(alice, alices):
    booking(alices, "confirmed")
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-0-id": alices.pk,
        "form-0-places_by_phone": 1,
        "form-0-booking_status": "open",
        "_save": "Save",
    }
    alice.post(C("changelist"), data)
    alices.refresh_from_db()
    assert (alices.places_by_phone, alices.places_left, alices.booking_status) == (1, 0, "waiting")
    assert Booking.objects.get().status == "confirmed"


def test_the_requests_own_page_has_the_buttons_outside_its_change_form(alice, alices, committed):
    request = booking(alices, name="Rhian Reader")
    html = alice.get(B("change", request.pk)).content.decode()
    confirm = html.index(f'action="{B("confirm", request.pk)}"')
    assert confirm < html.index('id="booking_form"')
    with committed():
        response = alice.post(B("confirm", request.pk), {"from": "change"})
    assert response["Location"] == B("change", request.pk)
    request.refresh_from_db()
    assert request.status == "confirmed"


def test_the_start_page_reads_every_courses_requests_in_one_query(
    alice, teacher_a, django_assert_num_queries
):
    for n in range(4):
        course = course_for(teacher_a[1], title=f"Course {n}")
        booking(course, email=f"a{n}@example.org")
        booking(course, "waiting", email=f"b{n}@example.org")
        booking(course, "confirmed", email=f"c{n}@example.org")
    alice.get(reverse("admin:index"))  # warm the session and permission caches' first load
    # As tests/classes/test_admin_start_page.py counts them: one query for every course's requests.
    with django_assert_num_queries(10):
        html = alice.get(reverse("admin:index")).content.decode()
    assert html.count('class="your-request"') == 8
