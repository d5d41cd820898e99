"""Addresses the site stops mailing because mail to them bounced.

A tiny app of its own: comments and classes both mail readers and may not
import each other, so the record they both consult lives here, and this app
imports no app of ours.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class BouncingAddressQuerySet(models.QuerySet["BouncingAddress"]):
    def of(self, emails: Iterable[str]) -> BouncingAddressQuerySet:
        return self.filter(email__in={email.strip().lower() for email in emails})


class BouncingAddress(models.Model):
    """An address a mail server said it cannot deliver to (a permanent failure, RFC 3464).

    Course alerts, alert confirmations and reply notifications skip it until
    the mark is cleared (``manage.py clear_bounce``, or deleting it in the admin).
    """

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_bounced_at = models.DateTimeField(_("first bounced"), auto_now_add=True)
    last_bounced_at = models.DateTimeField(_("last bounced"))
    status = models.CharField(_("status code"), max_length=20, blank=True)
    diagnostic = models.CharField(_("what the mail server said"), max_length=300, blank=True)

    objects = BouncingAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("bouncing address")
        verbose_name_plural = _("bouncing addresses")
        ordering = ["-last_bounced_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="bouncing_address_email_lowercase",
                violation_error_message=_("Store the address in lower case."),
            )
        ]

    def __str__(self) -> str:
        return self.email
