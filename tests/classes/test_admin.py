import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes.models import AlertSubscription, Course, Enquiry, Session
from tests.classes.factories import teacher_login, weekly_course
from tests.factories import in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def teacher_a():
    return teacher_login("alice", name="Alice Teacher")


@pytest.fixture
def teacher_b():
    return teacher_login("bryn", name="Bryn Teacher")


@pytest.fixture
def course_a(teacher_a, today):
    return weekly_course(today + timedelta(days=7), weeks=3, teachers=[teacher_a[1]], title="Alice’s course")


@pytest.fixture
def course_b(teacher_b, today):
    return weekly_course(
        today + timedelta(days=7), weeks=3, teachers=[teacher_b[1]], title="Bryn’s secret course"
    )


@pytest.fixture
def alice(client, teacher_a):
    client.force_login(teacher_a[0])
    return client


def change_form_data(course: Course, **overrides) -> dict:
    """The POST the course change form sends, as a browser would, with its sessions inline."""
    sessions = list(course.sessions.all())
    data = {
        "title": course.title,
        "slug": course.slug,
        "description": course.description,
        "level": course.level,
        "language": course.language,
        "venue": course.venue_id,
        "weekday": course.weekday,
        "start_time": course.start_time.strftime("%H:%M"),
        "end_time": course.end_time.strftime("%H:%M"),
        "price": str(course.price),
        "concessions": course.concessions,
        "capacity": course.capacity,
        "places_left": course.places_left,
        "booking_status": course.booking_status,
        "how_to_book": course.how_to_book,
        "is_published": "on" if course.is_published else "",
        "sessions-TOTAL_FORMS": len(sessions),
        "sessions-INITIAL_FORMS": len(sessions),
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    data = in_english(data, {"title", "description", "concessions", "how_to_book"})
    for n, session in enumerate(sessions):
        data |= {
            f"sessions-{n}-id": session.pk,
            f"sessions-{n}-course": course.pk,
            f"sessions-{n}-date": session.date.isoformat(),
            f"sessions-{n}-start_time": session.start_time.strftime("%H:%M"),
            f"sessions-{n}-end_time": session.end_time.strftime("%H:%M"),
            f"sessions-{n}-cancellation_reason_en_gb": session.cancellation_reason_en_gb or "",
        }
        if session.is_cancelled:
            data[f"sessions-{n}-is_cancelled"] = "on"
    return {key: value for key, value in data.items() if value != ""} | overrides


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:classes_course_{name}", args=args)


def test_the_teachers_group_can_manage_courses_and_sessions_but_only_view_venues():
    codenames = set(Group.objects.get(name="Teachers").permissions.values_list("codename", flat=True))
    assert {"change_course", "add_session", "delete_session", "change_teacher", "view_venue"} <= codenames
    assert not {"change_venue", "add_teacher", "delete_teacher", "manage_all_courses"} & codenames


def test_teacher_sees_only_their_own_courses_in_the_list(alice, course_a, course_b):
    html = alice.get(admin_url("changelist")).content.decode()
    assert course_a.title in html
    assert course_b.title not in html


@pytest.mark.parametrize("view", ["change", "delete", "history", "repeat"])
def test_teacher_opening_another_teachers_course_by_url_gets_not_found(alice, course_a, course_b, view):
    assert alice.get(admin_url(view, course_b.pk)).status_code == 404


def test_teacher_posting_changes_to_another_teachers_course_gets_not_found_and_nothing_changes(
    alice, course_a, course_b
):
    response = alice.post(
        admin_url("change", course_b.pk), change_form_data(course_b, title_en_gb="Taken over")
    )
    assert response.status_code == 404
    course_b.refresh_from_db()
    assert course_b.title == "Bryn’s secret course"


def test_teacher_posting_a_delete_of_another_teachers_course_gets_not_found_and_it_stays(alice, course_b):
    response = alice.post(admin_url("delete", course_b.pk), {"post": "yes"})
    assert response.status_code == 404
    assert Course.objects.filter(pk=course_b.pk).exists()


def test_teacher_can_change_their_own_course(alice, course_a):
    response = alice.post(
        admin_url("change", course_a.pk), change_form_data(course_a, title_en_gb="New title")
    )
    assert response.status_code == 302
    course_a.refresh_from_db()
    assert course_a.title == "New title"


def test_a_forged_teachers_value_in_a_teachers_post_is_ignored(alice, course_a, teacher_a, teacher_b):
    forged = change_form_data(course_a, teachers=[teacher_b[1].pk])
    response = alice.post(admin_url("change", course_a.pk), forged)
    assert response.status_code == 302
    assert list(course_a.teachers.all()) == [teacher_a[1]]


def test_a_course_a_teacher_adds_is_theirs_whatever_teachers_value_is_posted(
    alice, course_a, teacher_a, teacher_b
):
    data = change_form_data(course_a, slug="brand-new", title_en_gb="Brand new", teachers=[teacher_b[1].pk])
    for key in [key for key in data if key.startswith("sessions-")]:
        del data[key]
    data |= {
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 0,
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
        "sessions-0-date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "sessions-0-start_time": "19:00",
        "sessions-0-end_time": "20:00",
    }
    response = alice.post(admin_url("add"), data)
    assert response.status_code == 302
    assert list(Course.objects.get(slug="brand-new").teachers.all()) == [teacher_a[1]]


def test_editor_can_change_a_courses_teachers(editor_client, course_a, teacher_b):
    data = change_form_data(course_a, teachers=[teacher_b[1].pk])
    response = editor_client.post(admin_url("change", course_a.pk), data)
    assert response.status_code == 302
    assert list(course_a.teachers.all()) == [teacher_b[1]]


def test_editor_sees_every_teachers_courses(editor_client, course_a, course_b):
    html = editor_client.get(admin_url("changelist")).content.decode()
    assert course_a.title in html
    assert course_b.title in html


def test_a_teacher_filter_parameter_does_not_reveal_another_teachers_course(
    alice, course_a, course_b, teacher_b
):
    response = alice.get(admin_url("changelist"), {"teachers__id__exact": teacher_b[1].pk})
    assert response.status_code == 400
    assert course_b.title not in response.content.decode()


def test_a_teacher_gets_no_teachers_filter_listing_other_teachers(alice, course_a, course_b):
    html = alice.get(admin_url("changelist")).content.decode()
    assert "Bryn Teacher" not in html


def autocomplete(client, field_name: str, model_name: str = "course") -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "classes", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_teacher_autocomplete_offers_a_teacher_only_their_own_profile(alice, teacher_a, teacher_b):
    assert autocomplete(alice, "teachers") == {"Alice Teacher"}


def test_teacher_autocomplete_offers_an_editor_every_teacher(editor_client, teacher_a, teacher_b):
    assert autocomplete(editor_client, "teachers") == {"Alice Teacher", "Bryn Teacher"}


def test_course_autocomplete_offers_a_teacher_only_their_own_courses(alice, course_a, course_b):
    assert autocomplete(alice, "course", model_name="enquiry") == {"Alice’s course"}


def test_course_autocomplete_offers_an_editor_every_course(editor_client, course_a, course_b):
    assert autocomplete(editor_client, "course", model_name="enquiry") == {
        "Alice’s course",
        "Bryn’s secret course",
    }


def test_teacher_sees_only_their_own_teacher_profile(alice, teacher_a, teacher_b):
    html = alice.get(reverse("admin:classes_teacher_changelist")).content.decode()
    assert "Alice Teacher" in html
    assert "Bryn Teacher" not in html
    assert alice.get(reverse("admin:classes_teacher_change", args=[teacher_b[1].pk])).status_code == 404


def test_teacher_cannot_move_their_profile_to_another_login(alice, teacher_a, teacher_b):
    teacher = teacher_a[1]
    response = alice.post(
        reverse("admin:classes_teacher_change", args=[teacher.pk]),
        {"name": teacher.name, "bio_en_gb": "New bio", "email": teacher.email, "user": teacher_b[0].pk},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.bio == "New bio"
    assert teacher.user == teacher_a[0]


def test_cancelling_a_session_without_a_reason_shows_a_clear_error(alice, course_a):
    response = alice.post(
        admin_url("change", course_a.pk), change_form_data(course_a, **{"sessions-1-is_cancelled": "on"})
    )
    assert response.status_code == 200
    assert "Say why the session is cancelled: readers see the reason." in response.content.decode()
    assert not course_a.sessions.filter(is_cancelled=True).exists()


def test_publishing_a_course_whose_sessions_are_all_past_is_refused(alice, course_a, today):
    data = change_form_data(course_a)
    for n in range(3):
        data[f"sessions-{n}-date"] = (today - timedelta(days=30 + 7 * n)).isoformat()
    response = alice.post(admin_url("change", course_a.pk), data)
    assert response.status_code == 200
    assert "needs at least one session from today on" in response.content.decode()


def test_session_changes_are_recorded_in_the_course_history(alice, course_a, today):
    moved = today + timedelta(days=8)
    data = change_form_data(
        course_a,
        **{
            "sessions-0-date": moved.isoformat(),
            "sessions-1-is_cancelled": "on",
            "sessions-1-cancellation_reason_en_gb": "Hall flooded",
        },
    )
    alice.post(admin_url("change", course_a.pk), data)
    entry = LogEntry.objects.get(object_id=str(course_a.pk), action_flag=CHANGE)
    message = entry.get_change_message()
    assert entry.user.username == "alice"
    assert f"Changed Date for session “{moved:%A} {moved.day} {moved:%B %Y}”" in message
    assert "Changed Cancelled and Reason for cancelling [en-gb] for session" in message
    history = alice.get(admin_url("history", course_a.pk)).content.decode()
    assert "Changed Date for session" in history


def test_list_shows_the_next_session_date_and_places(alice, course_a, today):
    html = alice.get(admin_url("changelist")).content.decode()
    next_date = today + timedelta(days=7)
    assert next_date.strftime("%-d %b %Y") in html
    assert 'name="form-0-places_left" value="4"' in html


def test_the_repeat_action_sends_the_teacher_to_the_repeat_form(alice, course_a):
    response = alice.post(
        admin_url("changelist"), {"action": "repeat_course", "_selected_action": [course_a.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url("repeat", course_a.pk)


def test_repeating_a_course_makes_a_draft_and_opens_it(alice, course_a, today):
    start = today + timedelta(weeks=12)
    skip = start + timedelta(weeks=1)
    response = alice.post(
        admin_url("repeat", course_a.pk),
        {"start": start.isoformat(), "weeks": 3, "skip": skip.strftime("%d/%m/%Y")},
    )
    draft = Course.objects.exclude(pk=course_a.pk).get()
    assert response.status_code == 302
    assert response["Location"] == admin_url("change", draft.pk)
    assert not draft.is_published
    assert skip not in set(draft.sessions.values_list("date", flat=True))
    assert draft.sessions.count() == 3


def test_repeat_refuses_a_skip_line_that_is_not_a_date(alice, course_a, today):
    start = today + timedelta(weeks=12)
    response = alice.post(
        admin_url("repeat", course_a.pk), {"start": start.isoformat(), "weeks": 3, "skip": "Easter Monday"}
    )
    assert response.status_code == 200
    assert "“Easter Monday” is not a date" in response.content.decode()
    assert Course.objects.count() == 1


def test_repeat_refuses_a_start_date_on_another_weekday(alice, course_a, today):
    start = today + timedelta(weeks=12, days=1)
    response = alice.post(admin_url("repeat", course_a.pk), {"start": start.isoformat(), "weeks": 3})
    assert response.status_code == 200
    assert "This course meets on" in response.content.decode()
    assert Course.objects.count() == 1


def test_the_change_form_links_to_repeat_this_course(alice, course_a):
    html = alice.get(admin_url("change", course_a.pk)).content.decode()
    assert admin_url("repeat", course_a.pk) in html


def test_a_session_cannot_be_edited_through_another_course(alice, course_a, course_b):
    other_session = course_b.sessions.first()
    data = change_form_data(course_a)
    data["sessions-0-id"] = other_session.pk
    data["sessions-0-date"] = (timezone.localdate() + timedelta(days=60)).isoformat()
    alice.post(admin_url("change", course_a.pk), data)
    assert Session.objects.get(pk=other_session.pk).date == other_session.date


# --- The start page and its quick actions ------------------------------------------


def quick_url(name: str, course: Course, session: Session | None = None) -> str:
    args = [course.pk] if session is None else [course.pk, session.pk]
    return admin_url(name, *args)


def day(d) -> str:
    return f"{d:%A} {d.day} {d:%B}"


QUICK_POSTS = {
    "places": lambda course: ({"places_left": 0, "booking_status": "full"}, None),
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
        quick_url("places", course_a), {"places_left": 1, "booking_status": "few"}, follow=True
    )
    assert "Readers now see “Alice’s course” with 1 place left: Few places left." in response.content.decode()
    course_a.refresh_from_db()
    assert (course_a.places_left, course_a.booking_status) == (1, "few")
    entry = LogEntry.objects.get(action_flag=CHANGE)
    assert entry.get_change_message() == "Changed Places left and Booking."
    assert entry.user.username == "alice"


def test_more_places_left_than_places_in_total_is_refused_with_the_total(alice, course_a):
    response = alice.post(quick_url("places", course_a), {"places_left": 11, "booking_status": "open"})
    html = response.content.decode()
    assert "This course has 10 places in total: give a number up to 10." in html
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
    # Session, user, admin language, teacher profile, permissions (2), courses, their sessions, admin log.
    with django_assert_num_queries(9):
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


# --- Enquiries: row-level like courses ------------------------------------------


def enquiry_url(name: str, *args) -> str:
    return reverse(f"admin:classes_enquiry_{name}", args=args)


@pytest.fixture
def enquiry_a(teacher_a):
    return Enquiry.objects.create(
        teacher=teacher_a[1], name="Reader A", email="a@example.org", message="For Alice", verdict="ham"
    )


@pytest.fixture
def enquiry_b(teacher_b):
    return Enquiry.objects.create(
        teacher=teacher_b[1], name="Reader B", email="b@example.org", message="Private to Bryn", verdict="ham"
    )


def test_teacher_sees_only_the_enquiries_sent_to_them(alice, enquiry_a, enquiry_b):
    html = alice.get(enquiry_url("changelist")).content.decode()
    assert "Reader A" in html
    assert "Reader B" not in html


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_teacher_opening_another_teachers_enquiry_by_url_gets_not_found(alice, enquiry_a, enquiry_b, view):
    assert alice.get(enquiry_url(view, enquiry_b.pk)).status_code == 404


def test_teacher_marking_another_teachers_enquiry_answered_by_post_gets_not_found(alice, enquiry_b):
    response = alice.post(enquiry_url("change", enquiry_b.pk), {"answered": "on"})
    assert response.status_code == 404
    assert Enquiry.objects.get(pk=enquiry_b.pk).answered_at is None


def test_teacher_answered_action_cannot_reach_another_teachers_enquiry(alice, enquiry_a, enquiry_b):
    alice.post(
        enquiry_url("changelist"),
        {"action": "mark_answered", "_selected_action": [enquiry_a.pk, enquiry_b.pk]},
    )
    assert Enquiry.objects.get(pk=enquiry_a.pk).answered_at is not None
    assert Enquiry.objects.get(pk=enquiry_b.pk).answered_at is None


def test_teacher_marks_their_enquiry_answered_from_its_page(alice, enquiry_a):
    page = alice.get(enquiry_url("change", enquiry_a.pk)).content.decode()
    assert "For Alice" in page
    assert "192.0.2" not in page
    response = alice.post(enquiry_url("change", enquiry_a.pk), {"answered": "on"})
    assert response.status_code == 302
    assert Enquiry.objects.get(pk=enquiry_a.pk).answered_at is not None


def test_teacher_sees_when_an_enquiry_could_not_be_delivered(alice, teacher_a):
    Enquiry.objects.create(
        teacher=teacher_a[1],
        name="Stuck",
        email="s@example.org",
        message="Hello",
        verdict="ham",
        send_attempts=2,
        last_error="SMTPServerDisconnected: closed",
    )
    html = alice.get(enquiry_url("changelist") + "?sent_at__isempty=1").content.decode()
    assert "Stuck" in html
    assert "could not be sent" in html


def test_teacher_does_not_see_spam_sent_to_them(alice, teacher_a):
    Enquiry.objects.create(
        teacher=teacher_a[1], name="Spammer", email="x@example.org", message="pills", verdict="spam"
    )
    assert "Spammer" not in alice.get(enquiry_url("changelist")).content.decode()


def test_teacher_cannot_filter_their_way_to_another_teachers_enquiries(alice, enquiry_b, teacher_b):
    response = alice.get(enquiry_url("changelist") + f"?teacher__id__exact={teacher_b[1].pk}")
    assert "Reader B" not in response.content.decode()


def test_teacher_cannot_resend_an_enquiry(alice, enquiry_a):
    html = alice.get(enquiry_url("changelist")).content.decode()
    assert "send_again" not in html


def test_editor_sees_every_enquiry_and_who_it_went_to(editor_client, enquiry_a, enquiry_b):
    html = editor_client.get(enquiry_url("changelist")).content.decode()
    assert "Reader A" in html
    assert "Reader B" in html
    assert "send_again" in html


# --- Course alerts: teachers see how many wait, never who ----------------------


def alerts_url(name: str = "changelist", *args) -> str:
    return reverse(f"admin:classes_alertsubscription_{name}", args=args)


@pytest.fixture
def waiting(teacher_a, teacher_b, course_a):
    now = timezone.now()
    make = AlertSubscription.objects.create
    return [
        make(email="for-alice@example.org", teacher=teacher_a[1], confirmed_at=now),
        make(email="also-any@example.org", teacher=teacher_a[1], confirmed_at=now),
        make(email="also-any@example.org", confirmed_at=now),
        make(email="in-town@example.org", town=course_a.venue.town, confirmed_at=now),
        make(email="for-bryn@example.org", teacher=teacher_b[1], confirmed_at=now),
        make(email="unconfirmed@example.org", teacher=teacher_a[1]),
    ]


def test_teacher_sees_how_many_people_wait_for_their_courses_but_no_address(alice, waiting):
    response = alice.get(alerts_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 people will get an e-mail when you publish a new course." in html
    assert "@example.org" not in html


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_teacher_opening_a_subscription_by_url_gets_not_found(alice, waiting, view):
    assert alice.get(alerts_url(view, waiting[0].pk)).status_code == 404


def test_editor_sees_every_subscriber_address(editor_client, waiting):
    html = editor_client.get(alerts_url()).content.decode()
    assert "for-alice@example.org" in html
    assert "for-bryn@example.org" in html


def test_repeating_a_course_and_publishing_the_copy_alerts_the_teachers_subscribers_once(
    alice, course_a, today, waiting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(
            admin_url("repeat", course_a.pk), {"start": (today + timedelta(weeks=12)).isoformat(), "weeks": 3}
        )
    assert mailoutbox == []
    draft = Course.objects.exclude(pk=course_a.pk).get()
    for _save in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post(admin_url("change", draft.pk), change_form_data(draft, is_published="on"))
        assert response.status_code == 302
    assert sorted(message.to[0] for message in mailoutbox) == [
        "also-any@example.org",
        "for-alice@example.org",
        "in-town@example.org",
    ]


def test_with_the_admin_in_welsh_a_teacher_finds_a_course_by_its_title_in_either_language(
    alice, teacher_a, today
):
    weekly_course(today + timedelta(days=7), teachers=[teacher_a[1]], title_en_gb="Gentle backs", title_cy="")
    weekly_course(
        today + timedelta(days=8), teachers=[teacher_a[1]], title_en_gb="Strong backs", title_cy="Cefnau cryf"
    )
    alice.post(reverse("admin_language"), {"language": "cy"})
    url = reverse("admin:classes_course_changelist")
    assert "Gentle backs" in alice.get(url, {"q": "gentle"}).content.decode()
    assert "Cefnau cryf" in alice.get(url, {"q": "strong"}).content.decode()  # listed by its Welsh title
    assert "Cefnau cryf" in alice.get(url, {"q": "cryf"}).content.decode()


def test_with_the_admin_in_welsh_a_teacher_saves_their_course_and_moves_a_date_in_the_welsh_format(
    alice, course_a
):
    alice.post(reverse("admin_language"), {"language": "cy"})
    session = course_a.sessions.order_by("date").first()
    new_date = session.date + timedelta(days=1)
    data = change_form_data(course_a, title_en_gb="New title", title_cy="Teitl newydd")
    data["sessions-0-date"] = new_date.strftime("%d/%m/%Y")  # as the Welsh date widget writes it
    response = alice.post(admin_url("change", course_a.pk), data, follow=True)
    assert '<html lang="cy"' in response.content.decode()
    course_a.refresh_from_db()
    assert (course_a.title_en_gb, course_a.title_cy) == ("New title", "Teitl newydd")
    session.refresh_from_db()
    assert session.date == new_date


def breadcrumbs(html: str) -> str:
    """The breadcrumb trail's words and links, spacing aside."""
    [trail] = re.findall(r'<div class="breadcrumbs">(.*?)</div>', html, flags=re.DOTALL)
    return " ".join(trail.split())


def test_our_admin_pages_lead_back_to_the_start_page_and_keep_their_content_in_one_place(
    alice, course_a, waiting
):
    start = reverse("admin:index")
    session = course_a.sessions.first()
    pages = {
        admin_url(
            "guide"
        ): f'<a href="{start}">Your start page</a> &rsaquo; How to keep your course up to date',
        quick_url("move_session", course_a, session): f'<a href="{start}">Your start page</a> &rsaquo; ',
        reverse("admin_language"): f'<a href="{start}">Your start page</a> &rsaquo; ',
        admin_url("repeat", course_a.pk): (
            f'<a href="{start}">Home</a> &rsaquo; <a href="{reverse("admin:app_list", args=["classes"])}">'
        ),
        alerts_url(): f'<a href="{start}">Home</a> &rsaquo; <a href="{reverse("admin:app_list", args=["classes"])}">',
    }
    for url, trail in pages.items():
        html = alice.get(url).content.decode()
        assert breadcrumbs(html).startswith(trail), url
        assert html.count('<div id="content-main"') == 1, url
    assert breadcrumbs(alice.get(admin_url("repeat", course_a.pk)).content.decode()).endswith(
        "&rsaquo; Repeat"
    )
