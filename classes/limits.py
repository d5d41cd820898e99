"""Rate limits for the public forms of ``classes`` (enquiries, course-alert sign-ups).

Each limit is counted in the shared cache, so every app server sees the same
count and a burst sent at once is counted before anything is saved; the
database backs it up with what it holds from the window, so a limit still
holds while the cache is down, restarted empty or evicting.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from akismet_service import visitors

# The database count reads at most this many addresses (an hour of IPv6 posts).
ADDRESSES_READ = 10_000


def count_in_cache(key: str, *, window: int) -> int:
    """Add one to the counter ``key`` (started for ``window`` seconds) and return it.

    Raises ``ConnectionError`` when the cache is unavailable (pagecache/guard.py).
    """
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def saved_from(rows: QuerySet, ip: str | None, *, field: str) -> int:
    """How many of ``rows`` came from this visitor: the same IPv4 address, or the same IPv6 /64.

    Rows saved without an address count for a visitor without one.
    """
    key = visitors.rate_key(ip)
    if not key:
        return rows.filter(**{f"{field}__isnull": True}).count()
    if "/" not in key:  # IPv4, as itself or mapped into IPv6: the database compares
        return rows.filter(**{f"{field}__in": [key, f"::ffff:{key}"]}).count()
    addresses = rows.filter(**{f"{field}__contains": ":"}).values_list(field, flat=True)[:ADDRESSES_READ]
    return sum(visitors.rate_key(address) == key for address in addresses)
