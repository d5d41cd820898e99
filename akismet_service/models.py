"""What the site remembers about Akismet itself: the last answer and the last failure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AkismetHealth(models.Model):
    """One row (``pk=1``), written after each call to Akismet by ``akismet_service.health.record``.

    Kept in the database, not the cache: every app server and worker sees the
    same state, and it survives the cache being down or flushed.
    """

    last_ok_at = models.DateTimeField(_("last answer"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    last_failure = models.CharField(_("what failed"), max_length=30, blank=True)
    last_failure_detail = models.CharField(_("failure detail"), max_length=300, blank=True)
    alert_code = models.CharField(_("Akismet alert code"), max_length=20, blank=True)
    alert_message = models.CharField(_("Akismet alert"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Akismet health")
        verbose_name_plural = _("Akismet health")

    def __str__(self) -> str:
        return f"Akismet: last answer {self.last_ok_at}, last failure {self.last_failure_at}"

    @property
    def is_failing(self) -> bool:
        """The latest call failed (no answer since the last failure)."""
        if self.last_failure_at is None:
            return False
        return self.last_ok_at is None or self.last_failure_at > self.last_ok_at
