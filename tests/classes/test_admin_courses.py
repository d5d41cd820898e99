"""The course, teacher and venue admin (classes/admin/courses.py, teachers.py): row-level for teachers."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from classes.models import Course, Session
from tests.classes.conftest import admin_url, change_form_data
from tests.classes.factories import weekly_course

pytestmark = pytest.mark.django_db


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
    assert '<td class="field-places_left">4</td>' in html
    assert 'name="form-0-places_by_phone" value="0"' in html


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
