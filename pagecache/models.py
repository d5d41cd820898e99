"""The page cache's two tables: invalidations it missed while Redis was down, and the counters'
database fallback. Both kept the tables ``backcare`` made before they moved here (README, "Decisions")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .caches import COUNTS_TABLE


class MissedPageInvalidation(models.Model):
    """A change the shared page cache could not be told about (Redis was down).

    ``pagecache.invalidation`` writes one row when retiring a change's pages
    fails once the change has committed; the next process to reach Redis
    again bumps the site-wide generation and deletes the rows, so no page
    cached before the change is served after it.
    """

    at = models.DateTimeField(_("missed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("missed page-cache invalidation")
        verbose_name_plural = _("missed page-cache invalidations")
        db_table = "backcare_missedpageinvalidation"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}"


class CountedLimit(models.Model):
    """The table of the ``counts`` cache (Django's ``DatabaseCache``, same columns as
    ``createcachetable`` makes), where rate limits are counted while their Redis is down or full.

    A model, so that ``migrate`` creates it and no extra install step is needed. Nothing reads
    it through the ORM but ``purge_counted_limits``: ``pagecache.guard.RedisWithDatabaseFallback``
    uses it as a cache (``caches.py`` names this table as the ``counts`` cache's ``LOCATION``). Never shown
    to anyone, so its names are not translated.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = COUNTS_TABLE

    def __str__(self) -> str:
        return self.cache_key
