"""The admin start page and its quick actions (classes/admin/courses.py, classes/quick_actions.py)."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes.models import Course, Session
from tests.classes.conftest import admin_url, change_form_data
from tests.classes.factories import weekly_course
from tests.classes.test_admin_alerts import alerts_url

pytestmark = pytest.mark.django_db


def quick_url(name: str, course: Course, session: Session | None = None) -> str:
    args = [course.pk] if session is None else [course.pk, session.pk]
    return admin_url(name, *args)


def day(d) -> str:
    return f"{d:%A} {d.day} {d:%B}"


QUICK_POSTS = {
    "places": lambda course: ({"places_by_phone": 10, "booking_status": "full"}, None),
    "cancel_session": lambda course: ({"cancellation_reason_en_gb": "Taken over"}, course.sessions.first()),
    "move_session": lambda course: (
        {
            "date": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
        },
        course.sessions.first(),
    ),
}


@pytest.mark.parametrize("action", QUICK_POSTS)
def test_a_quick_action_on_another_teachers_course_is_not_found_and_changes_nothing(
    alice, course_a, course_b, action
):
    data, session = QUICK_POSTS[action](course_b)
    before = list(Session.objects.values_list("date", "is_cancelled", "start_time"))
    assert alice.get(quick_url(action, course_b, session)).status_code == 404
    assert alice.post(quick_url(action, course_b, session), data).status_code == 404
    course_b.refresh_from_db()
    assert (course_b.places_left, course_b.booking_status) == (4, "open")
    assert list(Session.objects.values_list("date", "is_cancelled", "start_time")) == before
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("action", ["cancel_session", "move_session"])
def test_a_session_of_another_course_is_not_found_through_a_teachers_own_course(
    alice, course_a, course_b, action
):
    data, other_session = QUICK_POSTS[action](course_b)
    assert alice.post(quick_url(action, course_a, other_session), data).status_code == 404
    assert Session.objects.get(pk=other_session.pk).date == other_session.date
    assert not Session.objects.filter(is_cancelled=True).exists()


@pytest.mark.parametrize("action", QUICK_POSTS)
def test_a_quick_action_changes_nothing_on_a_get_and_refuses_a_post_without_the_csrf_token(
    client, teacher_a, course_a, action
):
    from django.test import Client

    data, session = QUICK_POSTS[action](course_a)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(teacher_a[0])
    assert csrf_client.get(quick_url(action, course_a, session), data).status_code == 200
    assert csrf_client.post(quick_url(action, course_a, session), data).status_code == 403
    course_a.refresh_from_db()
    assert course_a.places_left == 4
    assert not course_a.sessions.filter(is_cancelled=True).exists()
    assert set(course_a.sessions.values_list("start_time", flat=True)) == {course_a.start_time}
    assert not LogEntry.objects.exists()


def test_a_logged_out_visitor_is_sent_to_log_in_by_every_quick_action(client, course_a):
    session = course_a.sessions.first()
    for url in (quick_url("places", course_a), quick_url("cancel_session", course_a, session)):
        response = client.post(url, {"places_left": 0})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_cancelling_a_session_says_what_readers_see_and_is_in_the_course_history(alice, course_a):
    session = course_a.sessions.all()[1]
    response = alice.post(
        quick_url("cancel_session", course_a, session),
        {"cancellation_reason_en_gb": "teacher away"},
        follow=True,
    )
    session.refresh_from_db()
    assert session.is_cancelled
    assert session.cancellation_reason == "teacher away"
    assert f"Readers now see {day(session.date)} as cancelled: teacher away." in response.content.decode()
    entry = LogEntry.objects.get(object_id=str(course_a.pk), action_flag=CHANGE)
    assert entry.user.username == "alice"
    assert entry.get_change_message() == (
        f"Changed Cancelled and Reason for cancelling for session “{session}”."
    )


def test_a_quick_action_from_the_welsh_admin_writes_the_history_as_the_english_admin_would(alice, course_a):
    alice.post(reverse("admin_language"), {"language": "cy"})
    session = course_a.sessions.all()[1]
    response = alice.post(
        quick_url("cancel_session", course_a, session),
        {"cancellation_reason_en_gb": "teacher away"},
        follow=True,
    )
    assert '<html lang="cy"' in response.content.decode()
    entry = LogEntry.objects.get(object_id=str(course_a.pk), action_flag=CHANGE)
    # Stored untranslated, shown in the reader's language: here English.
    assert entry.get_change_message() == (
        f"Changed Cancelled and Reason for cancelling for session “{session}”."
    )


def test_cancelling_without_a_reason_asks_for_one_and_changes_nothing(alice, course_a):
    session = course_a.sessions.first()
    response = alice.post(quick_url("cancel_session", course_a, session), {"cancellation_reason_en_gb": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Session.objects.filter(is_cancelled=True).exists()


def test_cancelling_the_last_date_to_come_of_a_course_on_the_site_is_refused(alice, course_a):
    *earlier, last = course_a.sessions.all()
    Session.objects.filter(pk__in=[s.pk for s in earlier]).update(is_cancelled=True, cancellation_reason="x")
    response = alice.post(quick_url("cancel_session", course_a, last), {"cancellation_reason_en_gb": "ill"})
    assert "needs at least one session from today on" in response.content.decode()
    assert not Session.objects.get(pk=last.pk).is_cancelled


def test_moving_a_session_says_what_readers_see_and_bumps_its_calendar_revision(alice, course_a, today):
    session = course_a.sessions.first()
    new_date = session.date + timedelta(days=2)
    response = alice.post(
        quick_url("move_session", course_a, session),
        {"date": new_date.isoformat(), "start_time": "18:30", "end_time": "19:45"},
        follow=True,
    )
    assert (
        f"Readers now see the session of {day(session.date)} on {day(new_date)}, 18:30 to 19:45."
        in response.content.decode()
    )
    moved = Session.objects.get(pk=session.pk)
    assert (moved.date, moved.revision) == (new_date, session.revision + 1)
    message = LogEntry.objects.get(action_flag=CHANGE).get_change_message()
    assert message == f"Changed Date, Start and End for session “{moved}”."


def test_moving_a_session_onto_another_of_its_dates_is_refused_and_keeps_what_was_typed(alice, course_a):
    first, second = course_a.sessions.all()[:2]
    response = alice.post(
        quick_url("move_session", course_a, first),
        {"date": second.date.isoformat(), "start_time": "18:05", "end_time": "19:00"},
    )
    html = response.content.decode()
    assert "This course already has a session on that date." in html
    assert 'value="18:05"' in html
    assert Session.objects.get(pk=first.pk).date == first.date


def test_the_move_form_offers_the_phones_date_and_time_pickers(alice, course_a):
    html = alice.get(quick_url("move_session", course_a, course_a.sessions.first())).content.decode()
    assert 'type="date"' in html
    assert html.count('type="time"') == 2


def test_updating_places_says_what_readers_see_and_is_in_the_history(alice, course_a):
    response = alice.post(
        quick_url("places", course_a), {"places_by_phone": 9, "booking_status": "few"}, follow=True
    )
    assert "Readers now see “Alice’s course” with 1 place left: Few places left." in response.content.decode()
    course_a.refresh_from_db()
    assert (course_a.places_left, course_a.booking_status) == (1, "few")
    entry = LogEntry.objects.get(action_flag=CHANGE)
    assert entry.get_change_message() == "Changed Places taken by phone and Booking."
    assert entry.user.username == "alice"


def test_more_places_by_phone_than_places_in_total_is_refused_with_the_total(alice, course_a):
    response = alice.post(quick_url("places", course_a), {"places_by_phone": 11, "booking_status": "open"})
    html = response.content.decode()
    assert "This course has 10 places in total and 0 taken on the site: give a number up to 10." in html
    assert 'value="11"' in html
    assert Course.objects.get(pk=course_a.pk).places_left == 4


def test_the_start_page_shows_a_teacher_their_upcoming_courses_and_sessions(alice, course_a, course_b, today):
    html = alice.get(reverse("admin:index")).content.decode()
    assert "Your courses" in html
    assert "Alice’s course" in html
    assert "Bryn’s secret course" not in html
    assert "4 places left" in html
    for session in course_a.sessions.all():
        assert quick_url("move_session", course_a, session) in html
        assert quick_url("cancel_session", course_a, session) in html
    assert quick_url("places", course_a) in html
    assert admin_url("repeat", course_a.pk) in html
    assert admin_url("guide") in html


def test_the_start_page_reads_the_courses_in_a_fixed_number_of_queries(
    alice, teacher_a, today, django_assert_num_queries
):
    for n in range(5):
        weekly_course(today + timedelta(days=n + 1), weeks=6, teachers=[teacher_a[1]])
    alice.get(reverse("admin:index"))  # warm the session and permission caches' first load
    # Session, user, admin language, teacher profile, permissions (2), courses, their sessions,
    # the places asked for, admin log.
    with django_assert_num_queries(10):
        alice.get(reverse("admin:index"))


def test_the_editor_start_page_puts_waiting_comments_and_the_spam_check_first(editor_client):
    from tests.comments.factories import CommentFactory

    CommentFactory(pending=True)
    CommentFactory(pending=True)
    CommentFactory()
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 comments wait for you" in html
    assert (
        html.index("2 comments wait for you") < html.index("Akismet is not set up") < html.index("app-list")
    )
    assert "Your courses" not in html


def test_the_guide_has_the_common_tasks_and_is_linked_from_the_course_form(alice, course_a):
    html = alice.get(admin_url("guide")).content.decode()
    for task in ("Cancel one session", "Move a session", "Update places left", "Run the course again"):
        assert task in html
    assert admin_url("guide") in alice.get(admin_url("change", course_a.pk)).content.decode()


def test_a_teacher_adds_the_welsh_version_of_their_course_beside_the_english(alice, course_a):
    data = change_form_data(
        course_a,
        title_cy="Cwrs Alys",
        description_cy="Dosbarthiadau ysgafn.",
        how_to_book_cy="Anfonwch neges.",
    )
    response = alice.post(admin_url("change", course_a.pk), data)
    assert response.status_code == 302
    course_a.refresh_from_db()
    assert course_a.title_cy == "Cwrs Alys"

    html = Client().get(f"/cy/classes/{course_a.slug}/").content.decode()
    assert '<h1 id="course-title">Cwrs Alys</h1>' in html
    assert "Dosbarthiadau ysgafn." in html


def test_the_course_list_marks_courses_without_welsh(editor_client, course_a):
    html = editor_client.get(
        reverse("admin:classes_course_changelist"), {"welsh": "missing"}
    ).content.decode()
    assert "Alice’s course" in html


def breadcrumbs(html: str) -> str:
    """The breadcrumb trail's words and links, spacing aside."""
    [trail] = re.findall(r'<div class="breadcrumbs">(.*?)</div>', html, flags=re.DOTALL)
    return " ".join(trail.split())


def test_our_admin_pages_lead_back_to_the_start_page_and_keep_their_content_in_one_place(
    alice, course_a, waiting
):
    start = reverse("admin:index")
    session = course_a.sessions.first()
    home_then_classes = (
        f'<a href="{start}">Home</a> &rsaquo; <a href="{reverse("admin:app_list", args=["classes"])}">'
    )
    pages = {
        admin_url(
            "guide"
        ): f'<a href="{start}">Your start page</a> &rsaquo; How to keep your course up to date',
        quick_url("move_session", course_a, session): f'<a href="{start}">Your start page</a> &rsaquo; ',
        reverse("admin_language"): f'<a href="{start}">Your start page</a> &rsaquo; ',
        admin_url("repeat", course_a.pk): home_then_classes,
        alerts_url(): home_then_classes,
    }
    for url, trail in pages.items():
        html = alice.get(url).content.decode()
        assert breadcrumbs(html).startswith(trail), url
        assert html.count('<div id="content-main"') == 1, url
    assert breadcrumbs(alice.get(admin_url("repeat", course_a.pk)).content.decode()).endswith(
        "&rsaquo; Repeat"
    )
