"""Checking an enquiry with Akismet and e-mailing it to the teacher.

The enquiry is already saved when these run (see ``classes.views.EnquiryView``),
so nothing here can lose it: a failed check still sends it, marked as
unchecked, and a failed send leaves it unsent with the error, to be retried.
"""

from __future__ import annotations

import logging

import akismet
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from akismet_service import api
from akismet_service.choices import Verdict

from .mail import one_line
from .models import Enquiry

logger = logging.getLogger(__name__)

UNCHECKED_MARKER = "[not spam-checked]"


def check_enquiry(
    enquiry: Enquiry, *, client: akismet.SyncClient | None, alerts: api.AlertRecorder | None = None
) -> Verdict:
    """Ask Akismet about the enquiry and record its verdict (UNKNOWN when it could not say)."""
    submission = api.Submission.of(
        "contact-form",
        ip=enquiry.ip_address,
        text=enquiry.message,
        user_agent=enquiry.user_agent,
        referrer=enquiry.referrer,
        language=enquiry.language,
        written_at=enquiry.created_at,
        permalink=settings.SITE_URL + enquiry.teacher.get_absolute_url(),
        author=enquiry.name,
        author_email=enquiry.email,
    )
    result = api.ask(submission, client=client, alerts=alerts)
    enquiry.verdict = result.verdict
    enquiry.check_detail = (str(result.failure or "") + " " + result.detail).strip()[:300]
    enquiry.save(update_fields=["verdict", "check_detail"])
    return enquiry.verdict


def send_enquiry(enquiry: Enquiry) -> None:
    """E-mail the enquiry to the teacher, with Reply-To set to the person who wrote it.

    In the site's language whichever page it came from (a line says when it
    came from the Welsh pages), the same from a worker as from a request.
    Raises whatever the mail backend raises, after recording the attempt.
    """
    with translation.override(settings.LANGUAGE_CODE):
        _send_enquiry(enquiry)


def _send_enquiry(enquiry: Enquiry) -> None:
    subject = one_line(_("BackCare enquiry from %(name)s") % {"name": enquiry.name})
    if enquiry.verdict == Enquiry.Verdict.UNKNOWN:
        subject = f"{UNCHECKED_MARKER} {subject}"
    lines = [
        _("%(name)s wrote to you through the BackCare website:") % {"name": enquiry.name},
        "",
        enquiry.message,
        "",
        "—",
        _("Name: %(name)s") % {"name": enquiry.name},
        _("E-mail: %(email)s (reply to this message to answer)") % {"email": enquiry.email},
    ]
    if enquiry.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": enquiry.phone})
    if enquiry.language == "cy":
        lines.append(_("Written on the Welsh pages: they may prefer a reply in Welsh."))
    if enquiry.course:
        lines.append(
            _("About: %(title)s %(url)s")
            % {"title": enquiry.course.title, "url": settings.SITE_URL + enquiry.course.get_absolute_url()}
        )
    if enquiry.verdict == Enquiry.Verdict.UNKNOWN:
        lines += ["", _("The spam filter could not check this message, so it is sent to you unchecked.")]
    message = EmailMessage(
        subject=subject,
        body="\n".join(lines),
        to=[enquiry.teacher.email],
        reply_to=[enquiry.email],
    )
    enquiry.send_attempts += 1
    try:
        message.send()
    except Exception as error:
        enquiry.last_error = f"{type(error).__name__}: {error}"[:300]
        enquiry.save(update_fields=["send_attempts", "last_error"])
        logger.exception("Could not send enquiry %s to teacher %s", enquiry.pk, enquiry.teacher_id)
        raise
    enquiry.sent_at = timezone.now()
    enquiry.last_error = ""
    enquiry.save(update_fields=["send_attempts", "last_error", "sent_at"])


def deliver(
    enquiry: Enquiry, *, client: akismet.SyncClient | None, alerts: api.AlertRecorder | None = None
) -> bool:
    """Check the enquiry if it has not been checked, then send it unless it is spam. True if sent."""
    if enquiry.verdict == Enquiry.Verdict.PENDING:
        check_enquiry(enquiry, client=client, alerts=alerts)
    if enquiry.sent_at or not enquiry.should_send:
        return False
    send_enquiry(enquiry)
    return True
