"""classes/admin_readers.py: a teacher filters their enquiries only on what they are shown."""

import re

import pytest
from django.urls import reverse

from classes.models import Enquiry
from tests.classes.factories import teacher_login

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:classes_enquiry_changelist"


@pytest.fixture
def teacher():
    return teacher_login("alice", name="Alice Teacher")


@pytest.fixture
def alice(client, teacher):
    client.force_login(teacher[0])
    return client


@pytest.fixture
def enquiry(teacher):
    return Enquiry.objects.create(
        teacher=teacher[1],
        name="Reader A",
        email="a@example.org",
        message="Is there room on Tuesdays?",
        verdict="ham",
        user_agent="Mozilla/5.0 (SecretOS 9)",
        referrer="https://private.example.net/my-health-forum/",
        language="cy",
        ip_address="203.0.113.9",
    )


@pytest.mark.parametrize(
    "hidden",
    [
        "user_agent__contains=SecretOS",
        "referrer__startswith=https://private",
        "language=cy",
        "ip_address=203.0.113.9",
        "verdict=ham",
        "check_detail__contains=",
        "held_reason__isnull=False",
        "teacher__user__username=alice",
    ],
)
def test_a_teachers_filter_on_a_field_hidden_from_them_is_refused(alice, enquiry, hidden):
    response = alice.get(reverse(CHANGELIST) + f"?{hidden}")
    assert response.status_code == 400
    assert "Reader A" not in response.content.decode()


def test_a_hidden_fields_value_cannot_be_read_from_the_row_count(alice, enquiry):
    """A right and a wrong guess get the same answer."""
    right = alice.get(reverse(CHANGELIST) + "?user_agent__contains=SecretOS")
    wrong = alice.get(reverse(CHANGELIST) + "?user_agent__contains=Nothing")
    assert right.status_code == wrong.status_code == 400
    for response in (right, wrong):
        assert "Reader A" not in response.content.decode()
        assert not re.search(r"\d+ enquir", response.content.decode())  # no list, no count


@pytest.mark.parametrize(
    "shown",
    ["name__icontains=reader", "message__contains=Tuesdays", "answered_at__isempty=1", "sent_at__isempty=1"],
)
def test_a_teacher_still_filters_on_what_they_are_shown(alice, enquiry, shown):
    response = alice.get(reverse(CHANGELIST) + f"?{shown}")
    assert response.status_code == 200
    assert "Reader A" in response.content.decode()


def test_an_editor_still_filters_on_every_field(editor_client, enquiry):
    response = editor_client.get(reverse(CHANGELIST) + "?user_agent__contains=SecretOS")
    assert response.status_code == 200
    assert "Reader A" in response.content.decode()
