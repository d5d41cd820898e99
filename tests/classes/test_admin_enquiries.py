"""The enquiry admin (classes/admin/enquiries.py): row-level like courses, and a teacher filters
only on what they are shown."""

import re

import pytest
from django.urls import reverse

from classes.models import Enquiry

pytestmark = pytest.mark.django_db


CHANGELIST = "admin:classes_enquiry_changelist"


@pytest.fixture
def enquiry(teacher_a):
    return Enquiry.objects.create(
        teacher=teacher_a[1],
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
