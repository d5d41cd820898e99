"""Enquiries to teachers are kept no longer than the privacy page says; data requests cover every field."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from classes import privacy
from classes.models import AlertSubscription, Enquiry, PendingAlert
from classes.privacy import purge
from tests.factories import UserFactory

from .factories import CourseFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def enquiry(days_old: int, **fields) -> Enquiry:
    fields = {"email": "mair@example.org", **fields}
    item = Enquiry.objects.create(
        teacher=TeacherFactory(),
        name="Mair",
        message="Is the Tuesday class suitable after a slipped disc?",
        ip_address="198.51.100.7",
        user_agent="Mozilla/5.0",
        **fields,
    )
    Enquiry.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return item


def test_ip_address_and_browser_are_cleared_after_sixty_days():
    old, recent = enquiry(61, sent_at=timezone.now()), enquiry(59, sent_at=timezone.now())
    purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert recent.ip_address == "198.51.100.7"


def test_delivered_enquiries_are_deleted_after_a_year():
    old, recent = enquiry(366, sent_at=timezone.now()), enquiry(300, sent_at=timezone.now())
    purge()
    assert list(Enquiry.objects.all()) == [recent]
    assert not Enquiry.objects.filter(pk=old.pk).exists()


def test_an_undelivered_enquiry_is_never_deleted_however_old():
    waiting = enquiry(400, verdict=Enquiry.Verdict.UNKNOWN)
    purge()
    assert Enquiry.objects.filter(pk=waiting.pk).exists()


def test_spam_enquiries_are_deleted_after_fifteen_days():
    enquiry(16, verdict=Enquiry.Verdict.SPAM)
    kept = enquiry(10, verdict=Enquiry.Verdict.SPAM)
    purge()
    assert list(Enquiry.objects.all()) == [kept]


def test_the_command_reports_what_it_did(capsys):
    enquiry(61, sent_at=timezone.now())
    call_command("purge_enquiry_data")
    assert "IP cleared on 1" in capsys.readouterr().out


# --- Data requests ----------------------------------------------------------------


def test_export_has_every_field_of_an_enquiry_the_reasons_and_errors_included():
    held = enquiry(
        2,
        language="cy",
        verdict=Enquiry.Verdict.HAM,
        check_detail="ham",
        last_error="mailbox full",
        held_reason="Describes warning signs of a back emergency: numbness in the saddle area",
        answered_at=timezone.now(),
    )
    (row,) = privacy.export("MAIR@example.org")["enquiries"]
    assert row["id"] == held.pk
    assert row["language"] == "cy"
    assert row["spam_check"] == "ham"
    assert row["last_error"] == "mailbox full"
    assert row["held_for_an_editor_because"].endswith("numbness in the saddle area")
    assert row["answered_at"] == held.answered_at.isoformat()
    named = set(privacy.ENQUIRY_NAMES)
    assert {privacy.ENQUIRY_NAMES.get(f.name, f.name) for f in Enquiry._meta.concrete_fields} <= set(row)
    assert named <= {f.name for f in Enquiry._meta.concrete_fields}


def test_export_of_a_course_alert_names_the_courses_waiting_to_be_announced():
    signup = AlertSubscription.objects.create(email="mair@example.org", ip_address="198.51.100.7")
    course = CourseFactory(title="Yoga i gefnau")
    PendingAlert.objects.create(subscription=signup, course=course)
    (row,) = privacy.export("mair@example.org")["course_alerts"]
    assert row["courses_waiting_to_be_announced"] == ["Yoga i gefnau"]
    assert row["ip_address"] == "198.51.100.7"


def test_export_includes_a_teacher_profile_found_by_its_login():
    login = UserFactory(username="gwen")
    TeacherFactory(name="Gwen", user=login, phone="01970 000000")
    (row,) = privacy.export(user_ids=[login.pk])["teacher_profiles"]
    assert (row["name"], row["phone"]) == ("Gwen", "01970 000000")


def test_erase_deletes_the_enquiries_and_alerts_of_every_address_given_and_no_others():
    enquiry(1)
    enquiry(1, email="mair@other.example")
    kept = enquiry(1, email="someone@example.org")
    AlertSubscription.objects.create(email="mair@other.example")
    other_alert = AlertSubscription.objects.create(email="someone@example.org")
    assert privacy.erase("mair@example.org", "Mair@Other.example") == {
        "enquiries_deleted": 2,
        "course_alerts_deleted": 1,
        "place_requests_deleted": 0,
    }
    assert list(Enquiry.objects.all()) == [kept]
    assert list(AlertSubscription.objects.all()) == [other_alert]
