"""Background work for the classes app: delivering enquiries to teachers."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.tasks import task, task_backends
from django.utils import timezone

from comments import spam

from . import enquiries
from .models import Enquiry

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 6


def retry_delay(attempts: int) -> timedelta:
    """5 minutes, then 20, 80… capped at a day: a mail server is usually back within hours."""
    return min(timedelta(minutes=5 * 4 ** (attempts - 1)), timedelta(days=1))


@task
def deliver_enquiry(enquiry_id: int, force: bool = False) -> bool:
    """Spam-check and send one enquiry; ``force`` sends it whatever the verdict (an editor's choice).

    If sending fails and the task backend can run tasks later, it tries again
    with growing gaps; otherwise (and after the last try) the enquiry waits,
    unsent, in the admin for an editor's "Send to the teacher again".
    """
    enquiry = Enquiry.objects.select_related("teacher", "course").filter(pk=enquiry_id).first()
    if enquiry is None or enquiry.sent_at:
        return False
    alerts = spam.AlertRecorder()
    try:
        if force:
            enquiries.send_enquiry(enquiry)
            return True
        return enquiries.deliver(enquiry, client=spam.get_client(alerts=alerts), alerts=alerts)
    except Exception:
        backend = task_backends[deliver_enquiry.backend]
        if backend.supports_defer and enquiry.send_attempts < MAX_SEND_ATTEMPTS:
            deliver_enquiry.using(run_after=timezone.now() + retry_delay(enquiry.send_attempts)).enqueue(
                enquiry_id, force
            )
        raise
