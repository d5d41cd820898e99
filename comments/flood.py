"""Flood control: one comment per IP address and per e-mail address every few seconds.

The slot is taken with ``cache.add``, which only succeeds for the first
caller: atomic in Redis (``SET NX``), so it holds across processes and app
servers sharing one cache. With the development local-memory cache it holds
within one process, which is all development has.

The database backs the cache up: when the cache lets a post through, the
database is asked too whether this address or e-mail posted a comment within
the window. So flood control is never silently off: not when the cache
cannot be reached (``backcare/cache_guard.py``), nor after Redis restarted
empty or evicted a slot. The cache still matters: it is what stops a burst
of posts sent at the same instant, before any of them is saved.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from backcare.cache_guard import CacheUnavailable, guarded


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"comments:flood:{kind}:{digest}"


def take_slot(*, ip: str | None, email: str) -> bool:
    """True when this person may post now; False when they posted moments ago.

    ``COMMENTS_FLOOD_SECONDS = 0`` turns flood control off (benchmarks, load tests).
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    keys = [_key(kind, value) for kind, value in (("ip", ip or ""), ("email", email)) if value]
    try:
        if not take_cache_slots(keys, seconds=seconds):
            return False
    except CacheUnavailable:
        pass  # the database alone decides
    return not posted_recently(ip=ip, email=email, seconds=seconds)


def release_slot(*, ip: str | None, email: str) -> None:
    """Give the slot back: the comment it was taken for could not be saved, and may be sent again at once."""
    keys = [_key(kind, value) for kind, value in (("ip", ip or ""), ("email", email)) if value]
    # If the cache is down, the database check alone applies, and nothing was saved.
    with contextlib.suppress(CacheUnavailable):
        guarded("comment flood control", cache.delete_many, keys)


def take_cache_slots(keys: list[str], *, seconds: int) -> bool:
    """Take every slot (all are taken, so each key starts its own wait); False if one was taken already."""
    allowed = True
    for key in keys:
        if not guarded("comment flood control", cache.add, key, 1, timeout=seconds):
            allowed = False
    return allowed


def posted_recently(*, ip: str | None, email: str, seconds: int) -> bool:
    """The database's answer: a comment from this address or e-mail within the window."""
    from .models import Comment

    same_person = Q(email__iexact=email.strip()) if email.strip() else Q(pk__in=[])
    if ip:
        same_person |= Q(ip=ip)
    since = timezone.now() - timedelta(seconds=seconds)
    return Comment.objects.filter(same_person, submitted_at__gte=since).exists()
