"""The site-wide models of the ``backcare`` app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MissedPageInvalidation(models.Model):
    """A change the shared page cache could not be told about (Redis was down).

    ``backcare.pagecache`` writes one row when retiring a change's pages
    fails once the change has committed; the next process to reach Redis
    again bumps the site-wide generation and deletes the rows, so no page
    cached before the change is served after it.
    """

    at = models.DateTimeField(_("missed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missed page-cache invalidation")
        verbose_name_plural = _("missed page-cache invalidations")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}"
