"""Enquiries: what a reader writes to a teacher through the site's form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from akismet_service.choices import Verdict

from .courses import Course
from .teachers import Teacher


class Enquiry(models.Model):
    """A message to a teacher from the enquiry form, kept until it has been delivered.

    Saved before anything else happens, so a failed spam check or a mail server
    that is down never loses what someone wrote; ``classes.tasks`` checks and sends it.
    """

    Verdict = Verdict  # the intake's verdicts, as every checked form stores them

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="enquiries")
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    # The language of the page the form was on: Akismet is told it, and the
    # teacher is told which language to answer in.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    referrer = models.CharField(_("came from"), max_length=400, blank=True)
    verdict = models.CharField(_("spam check"), max_length=10, choices=Verdict, default=Verdict.PENDING)
    check_detail = models.CharField(_("spam check detail"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.CharField(_("last sending error"), max_length=300, blank=True)
    held_reason = models.CharField(
        _("held for an editor because"),
        max_length=300,
        blank=True,
        help_text=_("Not sent to the teacher until an editor chooses “Send to the teacher again”."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    answered_at = models.DateTimeField(
        _("answered"), null=True, blank=True, help_text=_("When the teacher marked it answered.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return f"{self.name} → {self.teacher}"

    @property
    def should_send(self) -> bool:
        """Ham goes to the teacher, and so does anything Akismet could not judge: no real message is lost.

        A held enquiry (warning signs of a back emergency) waits for an editor instead.
        """
        return not self.held_reason and self.verdict in {self.Verdict.HAM, self.Verdict.UNKNOWN}
