"""Who is posting: the visitor's address, and the key their posts are counted under.

One rule for every form that takes text from the public (comments, enquiries,
later sign-ups): Akismet is sent ``client_ip``; flood control and rate limits
count by ``rate_key``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
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
