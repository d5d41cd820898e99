"""How long enquiries and course alert sign-ups are kept (the privacy page says the same), and
answering data requests about them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import AlertSubscription, Enquiry


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


def purge_alert_signups(*, now: datetime | None = None) -> int:
    """Delete course alert sign-ups never confirmed within ``CLASSES_ALERT_CONFIRM_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CLASSES_ALERT_CONFIRM_DAYS)
    deleted, _ = AlertSubscription.objects.unconfirmed().filter(created_at__lt=cutoff).delete()
    return deleted


def export(email: str) -> dict[str, list[dict[str, object]]]:
    """Everything stored under this e-mail address: enquiries sent and course alerts asked for."""
    email = email.strip()

    def when(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    enquiries = [
        {
            "id": enquiry.pk,
            "teacher": enquiry.teacher.name,
            "course": enquiry.course.title if enquiry.course else None,
            "name": enquiry.name,
            "email": enquiry.email,
            "phone": enquiry.phone,
            "message": enquiry.message,
            "ip_address": enquiry.ip_address,
            "browser": enquiry.user_agent,
            "came_from": enquiry.referrer,
            "received_at": when(enquiry.created_at),
            "sent_to_teacher_at": when(enquiry.sent_at),
        }
        for enquiry in Enquiry.objects.filter(email__iexact=email).select_related("teacher", "course")
    ]
    alerts = [
        {
            "id": subscription.pk,
            "email": subscription.email,
            "asked_for": str(subscription.choice_label),
            "ip_address": subscription.ip_address,
            "browser": subscription.user_agent,
            "signed_up_at": when(subscription.created_at),
            "confirmed_at": when(subscription.confirmed_at),
            "last_alert_at": when(subscription.last_sent_at),
        }
        for subscription in AlertSubscription.objects.filter(email__iexact=email).select_related("teacher")
    ]
    return {"enquiries": enquiries, "course_alerts": alerts}


def erase(email: str) -> dict[str, int]:
    """Delete the enquiries sent with this address and every course alert for it."""
    email = email.strip()
    enquiries, _ = Enquiry.objects.filter(email__iexact=email).delete()
    alerts = AlertSubscription.objects.filter(email__iexact=email).count()
    AlertSubscription.objects.filter(email__iexact=email).delete()
    return {"enquiries_deleted": enquiries, "course_alerts_deleted": alerts}
