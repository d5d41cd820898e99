from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from classes.models import Course, Session
from tests.classes.factories import CourseFactory, SessionFactory, TeacherFactory, weekly_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_upcoming_lists_a_course_whose_last_session_is_today(today):
    course = weekly_course(today - timedelta(weeks=3), weeks=4)
    assert list(Course.objects.upcoming()) == [course]


def test_upcoming_drops_a_course_once_its_last_session_is_past(today):
    weekly_course(today - timedelta(weeks=4), weeks=4)
    assert list(Course.objects.upcoming()) == []


def test_upcoming_ignores_a_future_session_that_is_cancelled(today):
    course = weekly_course(today - timedelta(weeks=3), weeks=3)
    SessionFactory(
        course=course, date=today + timedelta(days=7), is_cancelled=True, cancellation_reason="Flood"
    )
    assert list(Course.objects.upcoming()) == []


def test_upcoming_puts_running_courses_before_later_ones(today):
    later = weekly_course(today + timedelta(days=30))
    running = weekly_course(today - timedelta(weeks=1))
    assert list(Course.objects.upcoming()) == [running, later]


def test_published_leaves_out_drafts(today):
    weekly_course(today, is_published=False)
    assert list(Course.objects.published().upcoming()) == []


def test_course_dates_are_derived_from_its_held_sessions(today):
    course = weekly_course(today - timedelta(weeks=1), weeks=4)
    first = course.sessions.first()
    first.is_cancelled, first.cancellation_reason = True, "Teacher unwell"
    first.save()
    annotated = Course.objects.with_dates(today).get()
    assert annotated.first_date == today
    assert annotated.next_date == today
    assert annotated.last_date == today + timedelta(weeks=2)
    assert annotated.session_count == 3


def test_moving_a_session_moves_the_course_end_date(today):
    course = weekly_course(today, weeks=2)
    last = course.sessions.last()
    last.date = today + timedelta(weeks=5)
    last.save()
    assert Course.objects.with_dates().get().last_date == today + timedelta(weeks=5)


def test_taught_by_returns_only_courses_the_login_teaches(today):
    user = UserFactory()
    mine = CourseFactory(teachers=[TeacherFactory(user=user), TeacherFactory()])
    CourseFactory()
    assert list(Course.objects.taught_by(user)) == [mine]


def test_taught_by_returns_nothing_for_a_login_without_a_teacher_profile():
    CourseFactory()
    assert list(Course.objects.taught_by(UserFactory())) == []


def test_a_course_cannot_have_two_sessions_on_one_day(today):
    session = SessionFactory()
    with pytest.raises(IntegrityError):
        SessionFactory(course=session.course, date=session.date)


def test_a_duplicate_session_date_is_a_validation_error_with_a_clear_message():
    session = SessionFactory()
    duplicate = Session(course=session.course, date=session.date, start_time=time(10), end_time=time(11))
    with pytest.raises(ValidationError, match="already has a session on that date"):
        duplicate.full_clean()


def test_a_session_must_end_after_it_starts():
    session = SessionFactory.build(course=CourseFactory(), start_time=time(19), end_time=time(18))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "end_time" in error.value.message_dict


def test_the_database_refuses_a_session_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        SessionFactory(start_time=time(19), end_time=time(18))


def test_a_session_in_the_middle_of_the_night_is_refused():
    session = SessionFactory.build(course=CourseFactory(), start_time=time(3), end_time=time(4))
    with pytest.raises(ValidationError, match="between 06:00 and 23:00"):
        session.full_clean()


def test_a_session_more_than_two_years_ahead_is_refused(today):
    session = SessionFactory.build(course=CourseFactory(), date=today + timedelta(days=800))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "date" in error.value.message_dict


def test_cancelling_a_session_without_a_reason_is_refused():
    session = SessionFactory.build(course=CourseFactory(), is_cancelled=True)
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict["cancellation_reason_en_gb"] == [
        "Say why the session is cancelled: readers see the reason."
    ]


def test_the_database_refuses_a_cancellation_without_a_reason():
    with pytest.raises(IntegrityError):
        SessionFactory(is_cancelled=True, cancellation_reason="")


def test_a_published_course_without_a_future_session_has_a_publishing_problem(today):
    course = weekly_course(today - timedelta(weeks=4), weeks=2)
    assert "at least one session from today on" in course.publishing_problem()


def test_a_published_course_with_a_future_session_has_no_publishing_problem(today):
    course = weekly_course(today + timedelta(days=1), weeks=2)
    assert course.publishing_problem() == ""


def test_there_cannot_be_more_places_left_than_places_in_total():
    course = CourseFactory.build(capacity=5, places_left=6, venue=CourseFactory().venue)
    with pytest.raises(ValidationError, match="more places left than places in total"):
        course.full_clean(exclude=["slug"])


def test_editing_a_session_raises_its_revision_for_calendars():
    session = SessionFactory()
    session.start_time = time(18, 30)
    session.save()
    session.refresh_from_db()
    assert session.revision == 1


def test_repeat_copies_the_course_as_an_unpublished_draft_with_weekly_sessions(today):
    course = weekly_course(today, weeks=2, places_left=0, booking_status=Course.BookingStatus.FULL)
    start = today + timedelta(weeks=10)
    draft = course.repeat(start=start, weeks=4)
    assert draft.pk != course.pk
    assert not draft.is_published
    assert draft.places_left == draft.capacity
    assert draft.booking_status == Course.BookingStatus.OPEN
    assert list(draft.teachers.all()) == list(course.teachers.all())
    assert list(draft.sessions.values_list("date", flat=True)) == [
        start + timedelta(weeks=n) for n in range(4)
    ]
    assert {(s.start_time, s.end_time) for s in draft.sessions.all()} == {
        (course.start_time, course.end_time)
    }


def test_repeat_skips_listed_dates_and_still_makes_the_number_of_sessions_asked_for(today):
    course = weekly_course(today, weeks=1)
    start = today + timedelta(weeks=10)
    bank_holiday = start + timedelta(weeks=1)
    draft = course.repeat(start=start, weeks=3, skip={bank_holiday})
    assert list(draft.sessions.values_list("date", flat=True)) == [
        start,
        start + timedelta(weeks=2),
        start + timedelta(weeks=3),
    ]


def test_repeat_leaves_the_original_course_untouched(today):
    course = weekly_course(today, weeks=2)
    course.repeat(start=today + timedelta(weeks=10), weeks=4)
    course.refresh_from_db()
    assert course.is_published
    assert course.sessions.count() == 2
