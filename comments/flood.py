"""Flood control: one comment per address (IPv6: per /64) and per e-mail address every few seconds.

The slot is taken with ``cache.add``, which only succeeds for the first
caller: atomic in Redis (``SET NX``), so it holds across processes and app
servers sharing one cache. With the development local-memory cache it holds
within one process, which is all development has.

The database backs the cache up: when the cache lets a post through, the
database is asked too whether this address or e-mail posted a comment within
the window. So flood control is never silently off: not when the cache
cannot be reached (the production cache backend raises ``ConnectionError``
for any Redis fault, see pagecache/guard.py), nor after Redis restarted
empty or evicted a slot. The cache still matters: it is what stops a burst
of posts sent at the same instant, before any of them is saved.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from akismet_service import visitors

# The database check reads at most this many comments of the window (a few seconds' worth).
RECENT_LIMIT = 1000


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"comments:flood:{kind}:{digest}"


def _keys(*, ip: str | None, email: str) -> list[str]:
    return [_key(kind, value) for kind, value in (("ip", visitors.rate_key(ip)), ("email", email)) if value]


def take_slot(*, ip: str | None, email: str) -> bool:
    """True when this person may post now; False when they posted moments ago.

    ``COMMENTS_FLOOD_SECONDS = 0`` turns flood control off (benchmarks, load tests).
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    try:
        if not take_cache_slots(_keys(ip=ip, email=email), seconds=seconds):
            return False
    except ConnectionError:
        pass  # the cache is unavailable: the database alone decides
    return not posted_recently(ip=ip, email=email, seconds=seconds)


def release_slot(*, ip: str | None, email: str) -> None:
    """Give the slot back: the comment it was taken for could not be saved, and may be sent again at once."""
    # If the cache is down, the database check alone applies, and nothing was saved.
    with contextlib.suppress(ConnectionError):
        cache.delete_many(_keys(ip=ip, email=email))


def take_cache_slots(keys: list[str], *, seconds: int) -> bool:
    """Take every slot (all are taken, so each key starts its own wait); False if one was taken already."""
    allowed = True
    for key in keys:
        if not cache.add(key, 1, timeout=seconds):
            allowed = False
    return allowed


def posted_recently(*, ip: str | None, email: str, seconds: int) -> bool:
    """The database's answer: a comment from this address (IPv6: its /64) or e-mail within the window."""
    from .models import Comment

    recent = Comment.objects.filter(submitted_at__gte=timezone.now() - timedelta(seconds=seconds))
    if email.strip() and recent.filter(email__iexact=email.strip()).exists():
        return True
    key = visitors.rate_key(ip)
    if not key:
        return False
    if "/" not in key:  # IPv4: that address, as itself or mapped into IPv6; the database compares
        return recent.filter(ip__in=[key, f"::ffff:{key}"]).exists()
    # IPv6: its /64, which SQL cannot tell portably; only IPv6 addresses are read.
    addresses = recent.filter(ip__contains=":").values_list("ip", flat=True)[:RECENT_LIMIT]
    return any(visitors.rate_key(address) == key for address in addresses)
