"""Enquiries to teachers are kept no longer than the privacy page says."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from classes.models import Enquiry
from classes.privacy import purge

from .factories import TeacherFactory

pytestmark = pytest.mark.django_db


def enquiry(days_old: int, **fields) -> Enquiry:
    item = Enquiry.objects.create(
        teacher=TeacherFactory(),
        name="Mair",
        email="mair@example.org",
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
