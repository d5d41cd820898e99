"""Who is posting, and how much they may: the visitor's address, its key, and its allowance.

One rule for every form that takes text from the public (comments, enquiries,
course-alert sign-ups): Akismet is sent ``client_ip``; flood control and rate
limits count by ``rate_key`` (an IPv4 address, or an IPv6 /64), through
``allowance``.

``allowance`` has one fallback rule: count in the cache first, ask the database
always. The shared cache (Redis) is what every app server sees and what stops
a burst sent at one instant, before any of it is saved; the rows the form saved
within the window back it up, so a limit still holds while the cache is down,
restarted empty or evicting (it never lets a flood through), and a cache that
lost its counts never blocks anyone the database says is within the limit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest

# One household, phone or small office gets a whole /64 of IPv6 addresses and
# can pick a new one for every request: counted one by one, a single person
# would get 2**64 allowances.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, for Akismet, flood control and rate limits.

    Behind ``TRUSTED_PROXIES`` proxies (nginx in production: 1) the
    address is the entry that many places from the right of X-Forwarded-For,
    the one our own proxy added; entries further left are whatever the client
    claimed and are never trusted. With 0, REMOTE_ADDR.
    """
    trusted = settings.TRUSTED_PROXIES
    candidate = request.META.get("REMOTE_ADDR", "")
    if trusted:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def rate_key(ip: str | None) -> str:
    """What posts from this address are counted under: the IPv4 address, or its IPv6 /64.

    An IPv4 address mapped into IPv6 (``::ffff:192.0.2.1``) counts as the IPv4
    address it is. "" for no usable address.
    """
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


# The database count reads at most this many addresses (an hour of IPv6 posts).
ADDRESSES_READ = 10_000


def allowance(
    key: str, *, ip: str | None, limit: int, window: int, recent: QuerySet, field: str = "ip_address"
) -> bool:
    """Count one use of a form by this visitor (IPv6: its /64); False once they have had ``limit``.

    ``key`` names the form's counter (``"classes:enquiries"``); ``recent`` is
    the form's rows saved within the last ``window`` seconds, ``field`` the
    column holding their address. Cache first, the database always.
    """
    return within_limit(
        counter_key(key, ip),
        limit=limit,
        window=window,
        saved=lambda: saved_from(recent, ip, field=field),
    )


def counter_key(key: str, ip: str | None) -> str:
    """The cache key a visitor's uses of the form ``key`` are counted under."""
    return f"{key}:{rate_key(ip) or 'unknown'}"


def within_limit(counter: str, *, limit: int, window: int, saved: Callable[[], int]) -> bool:
    """The one fallback rule: the cache's count first (refused past ``limit``), then always the
    database's (``saved()``: how many the form kept within the window), so this use is the
    ``limit``-th at most by both counts. A cache that cannot be reached leaves the database alone."""
    try:
        if count_in_cache(counter, window=window) > limit:
            return False
    except ConnectionError:
        pass  # the cache is unavailable (pagecache/guard.py): the database alone decides
    return saved() + 1 <= limit


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
    key = rate_key(ip)
    if not key:
        return rows.filter(**{f"{field}__isnull": True}).count()
    if "/" not in key:  # IPv4, as itself or mapped into IPv6: the database compares
        return rows.filter(**{f"{field}__in": [key, f"::ffff:{key}"]}).count()
    addresses = rows.filter(**{f"{field}__contains": ":"}).values_list(field, flat=True)[:ADDRESSES_READ]
    return sum(rate_key(address) == key for address in addresses)
