"""Signed links e-mailed to readers (course alerts, place requests): one way to make and read them.

A token holds a row's id and a keyed digest of its e-mail address, signed with
the site's secret key under a salt per kind of link. A changed character, an
expired link or a link for another address is refused; using a link twice is
harmless (each caller makes its action idempotent).
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac


class TokenProblem(Exception):
    """A link that cannot be used; ``expired`` tells an old link from a broken one."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def email_digest(email: str, *, key: str) -> str:
    """A keyed digest of the address: links carry this, never the address itself (it would
    otherwise sit in readable base64 in web server logs)."""
    return salted_hmac(key, email.strip().lower(), algorithm="sha256").hexdigest()[:16]


def make(pk: int, email: str, *, salt: str, key: str) -> str:
    return signing.dumps({"id": pk, "h": email_digest(email, key=key)}, salt=salt)


def read(token: str, *, salt: str, max_age: timedelta) -> tuple[object, object]:
    """The id and digest the token carries; ``TokenProblem`` when it is broken or too old."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenProblem(expired=True) from None
    except signing.BadSignature:
        raise TokenProblem(expired=False) from None
    if not isinstance(data, dict) or not all(field in data for field in ("id", "h")):
        raise TokenProblem(expired=False)
    return data["id"], data["h"]


def same_address(email: str, digest: object, *, key: str) -> bool:
    return constant_time_compare(email_digest(email, key=key), str(digest))
