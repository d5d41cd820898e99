"""What a Welsh reader sees on the pages the Welsh review (shared/reviews/2026-12-welsh.md) found wrong."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.views.i18n import JavaScriptCatalog

from classes.models import Session
from tests.classes.factories import TeacherFactory, teacher_login, weekly_course

pytestmark = pytest.mark.django_db


def test_the_welsh_urgent_page_tells_the_reader_to_get_medical_help_now(client):
    """The old heading, "Cewch help meddygol nawr", read as "you will get medical help"."""
    body = client.get("/cy" + reverse("safety:help_now")).content.decode()
    assert '<h1 id="urgent-advice-title" class="urgent-advice__title">Mynnwch help meddygol nawr</h1>' in body
    assert "Cewch help" not in body


# --- What teachers type: a Welsh version, or the English marked lang="en" ------------------------


def cancelled_course(**reason: str):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=3)
    Session.objects.filter(pk=course.sessions.first().pk).update(is_cancelled=True, **reason)
    return course


def test_a_welsh_course_page_shows_the_welsh_reason_a_session_is_cancelled(client):
    course = cancelled_course(
        cancellation_reason="Hall closed",
        cancellation_reason_en_gb="Hall closed",
        cancellation_reason_cy="Neuadd ar gau",
    )
    body = client.get("/cy" + course.get_absolute_url()).content.decode()
    assert "<span>Neuadd ar gau</span>" in body
    assert "Hall closed" not in body


def test_a_welsh_course_page_marks_an_english_only_reason_as_english(client):
    course = cancelled_course(cancellation_reason="Hall closed", cancellation_reason_en_gb="Hall closed")
    body = client.get("/cy" + course.get_absolute_url()).content.decode()
    assert '<span lang="en">Hall closed</span>' in body
    english = client.get(course.get_absolute_url()).content.decode()
    assert "<span>Hall closed</span>" in english


def test_a_welsh_teacher_page_shows_the_welsh_organisation_or_the_english_marked_as_english(client):
    welsh = TeacherFactory(organisation_en_gb="Seaside Yoga", organisation_cy="Ioga Glan Môr")
    english_only = TeacherFactory(organisation_en_gb="Hillside Yoga")
    assert (
        '<p class="lead">Ioga Glan Môr</p>' in client.get("/cy" + welsh.get_absolute_url()).content.decode()
    )
    assert (
        '<p class="lead" lang="en">Hillside Yoga</p>'
        in client.get("/cy" + english_only.get_absolute_url()).content.decode()
    )


def test_a_teacher_cancels_a_session_with_a_reason_in_each_language(client):
    user, teacher = teacher_login("gwen")
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=3, teachers=[teacher])
    session = course.sessions.first()
    client.force_login(user)
    client.post(
        reverse("admin:classes_course_cancel_session", args=[course.pk, session.pk]),
        {"cancellation_reason_en_gb": "Hall closed", "cancellation_reason_cy": "Neuadd ar gau"},
    )
    session.refresh_from_db()
    assert session.is_cancelled
    assert (session.cancellation_reason_en_gb, session.cancellation_reason_cy) == (
        "Hall closed",
        "Neuadd ar gau",
    )


def test_the_welsh_admin_date_shortcuts_say_yfory_and_yb_as_the_rest_of_the_site(rf):
    """Django's own Welsh says “Fory” (colloquial) and “6 y.b.”; the site writes “yb” / “yh”."""
    with translation.override("cy"):
        view = JavaScriptCatalog.as_view(domain="djangojs", packages=["django.contrib.admin"])
        catalogue = view(rf.get("/")).content.decode()
    assert '"Tomorrow": "Yfory"' in catalogue
    assert '"6 a.m.": "6 yb"' in catalogue
    assert '"6 p.m.": "6 yh"' in catalogue


def test_the_teachers_admin_shows_organisation_and_cancellation_reason_in_both_languages(client):
    user, teacher = teacher_login("gwen")
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, teachers=[teacher])
    client.force_login(user)
    teacher_form = client.get(reverse("admin:classes_teacher_change", args=[teacher.pk])).content.decode()
    course_form = client.get(reverse("admin:classes_course_change", args=[course.pk])).content.decode()
    assert 'name="organisation_en_gb"' in teacher_form
    assert 'name="organisation_cy"' in teacher_form
    assert 'name="sessions-0-cancellation_reason_en_gb"' in course_form
    assert 'name="sessions-0-cancellation_reason_cy"' in course_form


def test_the_welsh_course_pages_structured_data_gives_the_cancellation_in_welsh(client):
    course = cancelled_course(
        cancellation_reason="Hall closed",
        cancellation_reason_en_gb="Hall closed",
        cancellation_reason_cy="Neuadd ar gau",
    )
    body = client.get("/cy" + course.get_absolute_url()).content.decode()
    data = body[body.index('<script type="application/ld+json">') :]
    assert '"description":"Canslwyd: Neuadd ar gau"' in data
