"""Flood control: one comment per address (IPv6: per /64) and per e-mail address every few seconds.

The slot is taken with ``cache.add``, which only succeeds for the first
caller: atomic in Redis (``SET NX``), so it holds across processes and app
servers sharing one cache. With the development local-memory cache it holds
within one process, which is all development has.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from akismet_service import visitors


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
    allowed = True
    for kind, value in (("ip", visitors.rate_key(ip)), ("email", email)):
        if value and not cache.add(_key(kind, value), 1, timeout=seconds):
            allowed = False
    return allowed
