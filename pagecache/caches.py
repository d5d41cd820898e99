"""The three caches the page cache and the rate limits use, for the settings' ``CACHES``.

Imported by the settings, so it imports nothing of Django's cache machinery: only names.

- ``default``, the counters: allauth counts in it (``django.core.cache.cache``), and so do
  comments, classes and exercises for their limits. Redis (``limits_url``, one that never
  evicts) while it answers, else the database (``counts``): an outage never lifts a limit
  (``guard.RedisWithDatabaseFallback``).
- ``pages``: whole pages, fragments, routine PDFs, evictable (``pages_url``); a Redis fault
  means rendering them again (``guard.ResilientRedisCache``).
- ``counts``: where ``default`` counts while its Redis cannot be used, the table of
  ``models.CountedLimit`` (created by ``migrate``). Culled only past a million rows, so a
  burst cannot push a count out.

Without a Redis URL both are one local-memory store (development and tests).
"""

from typing import Any

# The table of models.CountedLimit, which the ``counts`` cache reads and writes.
COUNTS_TABLE = "backcare_counted_limits"
KEY_PREFIX = "backcare"
TIMEOUT = 300
LOCAL_MEMORY = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backcare"}


def caches(*, pages_url: str, limits_url: str, timeout: float) -> dict[str, dict[str, Any]]:
    """``CACHES``: ``timeout`` is the seconds to connect to Redis and to wait for each answer, so
    a stopped or hung Redis costs a request at most this before it degrades (``guard.py``)."""
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    redis = {"KEY_PREFIX": KEY_PREFIX, "TIMEOUT": TIMEOUT, "OPTIONS": options}
    return {
        "default": {
            "BACKEND": "pagecache.guard.RedisWithDatabaseFallback",
            "LOCATION": limits_url,
            "FALLBACK": "counts",
            **redis,
        }
        if limits_url
        else LOCAL_MEMORY,
        "pages": {"BACKEND": "pagecache.guard.ResilientRedisCache", "LOCATION": pages_url, **redis}
        if pages_url
        else LOCAL_MEMORY,
        "counts": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": COUNTS_TABLE,
            "TIMEOUT": TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
