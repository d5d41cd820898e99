"""The admin's "view on site" shortcut leads only to objects the login may see in the admin."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from classes.models import Course, Session
from tests.classes.factories import teacher_login, weekly_course
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def view_on_site(obj) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


@pytest.fixture
def teachers():
    return teacher_login("alice", name="Alice Teacher"), teacher_login("bryn", name="Bryn Teacher")


@pytest.fixture
def bryns_draft(teachers):
    start = timezone.localdate() + timedelta(days=7)
    return weekly_course(
        start, teachers=[teachers[1][1]], title="Bryn’s draft", slug="bryns-draft", is_published=False
    )


def test_a_teacher_is_not_led_to_another_teachers_unpublished_course(client, teachers, bryns_draft):
    client.force_login(teachers[0][0])
    response = client.get(view_on_site(bryns_draft))
    assert response.status_code == 404
    assert "Location" not in response
    assert b"bryns-draft" not in response.content


def test_a_teacher_is_not_led_to_another_teachers_profile(client, teachers):
    client.force_login(teachers[0][0])
    assert client.get(view_on_site(teachers[1][1])).status_code == 404


def test_a_teacher_is_not_led_to_a_comment_they_may_not_moderate(client, teachers):
    client.force_login(teachers[0][0])
    assert client.get(view_on_site(CommentFactory())).status_code == 404


def test_a_teacher_is_led_to_their_own_course_page(client, teachers, bryns_draft):
    client.force_login(teachers[1][0])
    response = client.get(view_on_site(bryns_draft))
    assert response.status_code == 302
    assert response["Location"].endswith(bryns_draft.get_absolute_url())


def test_an_editor_is_led_to_any_course_page(editor_client, bryns_draft):
    response = editor_client.get(view_on_site(bryns_draft))
    assert response.status_code == 302
    assert response["Location"].endswith(bryns_draft.get_absolute_url())


def test_an_unknown_object_or_content_type_is_not_found(editor_client, bryns_draft):
    course_type = ContentType.objects.get_for_model(Course).pk
    assert editor_client.get(reverse("admin:view_on_site", args=[course_type, 999_999])).status_code == 404
    assert editor_client.get(reverse("admin:view_on_site", args=[999_999, bryns_draft.pk])).status_code == 404


def test_a_model_the_admin_does_not_show_is_not_found(editor_client, bryns_draft, monkeypatch):
    # Sessions are edited inside their course; give them an address so only the admin check can refuse.
    monkeypatch.setattr(Session, "get_absolute_url", lambda session: "/somewhere/", raising=False)
    assert editor_client.get(view_on_site(bryns_draft.sessions.first())).status_code == 404


def test_someone_signed_out_is_sent_to_the_login_page(client, bryns_draft):
    response = client.get(view_on_site(bryns_draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "bryns-draft" not in response["Location"]
