"""Flood control: one comment per address (IPv6: per /64) and per e-mail address every few seconds.

Both are counted by ``akismet_service.visitors``, the rule every public form
shares: the shared cache first (an atomic add-and-increment in Redis, so a
burst of posts sent at the same instant is stopped before any is saved, across
processes and app servers; the development local-memory cache holds within
one process), then always the database: a comment from this address or
e-mail saved within the window refuses the next. So flood control is never
silently off: not when the cache cannot be reached (the production cache
backend raises ``ConnectionError`` for any Redis fault, see
pagecache/guard.py), nor after Redis restarted empty or evicted a count.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from akismet_service import visitors

from .models import Comment, CommentQuerySet

IP_COUNTER = "comments:flood:ip"


def _email_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"comments:flood:email:{digest}"


def take_slot(*, ip: str | None, email: str) -> bool:
    """True when this person may post now; False when they posted moments ago.

    One comment per window from an address (IPv6: its /64) and one from an
    e-mail address, each through ``visitors``' one rule: the cache first, the
    database always. Both are counted (each starts its own wait) before the
    answer. ``COMMENTS_FLOOD_SECONDS = 0`` turns flood control off (benchmarks,
    load tests).
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return True
    recent = _recent(seconds)
    by_address = not visitors.rate_key(ip) or visitors.allowance(
        IP_COUNTER, ip=ip, limit=1, window=seconds, recent=recent, field="ip"
    )
    by_email = not email.strip() or visitors.within_limit(
        _email_key(email), limit=1, window=seconds, saved=lambda: _by_email(recent, email).count()
    )
    return by_address and by_email


def release_slot(*, ip: str | None, email: str) -> None:
    """Give the slot back: the comment it was taken for could not be saved, and may be sent again at once."""
    keys = [visitors.counter_key(IP_COUNTER, ip)] if visitors.rate_key(ip) else []
    keys += [_email_key(email)] if email.strip() else []
    # If the cache is down, the database check alone applies, and nothing was saved.
    with contextlib.suppress(ConnectionError):
        cache.delete_many(keys)


def _recent(seconds: int) -> CommentQuerySet:
    return Comment.objects.filter(submitted_at__gte=timezone.now() - timedelta(seconds=seconds))


def _by_email(recent: CommentQuerySet, email: str) -> CommentQuerySet:
    return recent.filter(email__iexact=email.strip())
