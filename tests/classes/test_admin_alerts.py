"""The course alert admin (classes/admin/alerts.py): teachers see how many wait, never who."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def alerts_url(name: str = "changelist", *args) -> str:
    return reverse(f"admin:classes_alertsubscription_{name}", args=args)


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
