"""How long enquiries to teachers are kept (the privacy page says the same)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Enquiry


def purge(*, now: datetime | None = None) -> dict[str, int]:
    """Clear the sender's IP and browser after ``CLASSES_ENQUIRY_KEEP_IP_DAYS``; delete
    delivered enquiries after ``CLASSES_ENQUIRY_KEEP_DAYS`` and spam after ``COMMENTS_KEEP_SPAM_DAYS``.

    An enquiry that was never delivered is kept whatever its age: it may still
    be sent again from the admin, and nothing someone wrote is lost to our faults.
    """
    now = now or timezone.now()
    cleared = (
        Enquiry.objects.filter(created_at__lt=now - timedelta(days=settings.CLASSES_ENQUIRY_KEEP_IP_DAYS))
        .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
        .update(ip_address=None, user_agent="")
    )
    delivered, _ = Enquiry.objects.filter(
        sent_at__isnull=False, created_at__lt=now - timedelta(days=settings.CLASSES_ENQUIRY_KEEP_DAYS)
    ).delete()
    spam, _ = Enquiry.objects.filter(
        verdict__in=[Enquiry.Verdict.SPAM, Enquiry.Verdict.DISCARD],
        created_at__lt=now - timedelta(days=settings.COMMENTS_KEEP_SPAM_DAYS),
    ).delete()
    return {"ip_cleared": cleared, "delivered_deleted": delivered, "spam_deleted": spam}
