"""Teachers and courses the classes tests share: two signed-in teachers for the admin's tests,
Gwen and Bryn for the course-alert tests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.models import AlertSubscription, Course
from tests.classes.factories import TeacherFactory, teacher_login, weekly_course
from tests.factories import in_english


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
        "places_by_phone": course.places_by_phone,
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


@pytest.fixture
def waiting(teacher_a, teacher_b, course_a):
    """Sign-ups for course alerts: three addresses wait for Alice's next course, one for Bryn's."""
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


@pytest.fixture
def gwen():
    return TeacherFactory(name="Gwen Teacher", slug="gwen")


@pytest.fixture
def bryn():
    return TeacherFactory(name="Bryn Teacher", slug="bryn")
