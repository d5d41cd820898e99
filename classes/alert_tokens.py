"""The signed links of course alerts: confirm a sign-up, unsubscribe an address.

Tokens are signed with the site's secret key: a changed character, an expired
link or a link for another address is refused; using a link twice is harmless.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import AlertSubscription

CONFIRM_SALT = "classes.alerts.confirm"
UNSUBSCRIBE_SALT = "classes.alerts.unsubscribe"
# A confirmation link works for a week; an unsubscribe link for a year (the
# one-click header in every alert carries one).
CONFIRM_DAYS = 7
UNSUBSCRIBE_MAX_AGE_DAYS = 365


class TokenProblem(Exception):
    """A link that cannot be used; ``expired`` tells an old link from a broken one."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def email_digest(email: str) -> str:
    """A keyed digest of the address: links carry this, never the address itself (it would
    otherwise sit in readable base64 in web server logs)."""
    return salted_hmac("classes.alerts.email", email.strip().lower(), algorithm="sha256").hexdigest()[:16]


def _token(subscription: AlertSubscription, *, salt: str) -> str:
    return signing.dumps({"id": subscription.pk, "h": email_digest(subscription.email)}, salt=salt)


def confirm_token(subscription: AlertSubscription) -> str:
    return _token(subscription, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> AlertSubscription | None:
    """The sign-up the link is for; None when it is gone or its address has changed since.
    Raises ``TokenProblem`` for a link that was tampered with or is more than a week old."""
    max_age = timedelta(days=CONFIRM_DAYS)
    return _subscription(*_read(token, salt=CONFIRM_SALT, max_age=max_age, fields=("id", "h")))


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return _token(subscription, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> AlertSubscription | None:
    """One of the address's sign-ups (None if they are already gone); ``TokenProblem`` as above."""
    max_age = timedelta(days=UNSUBSCRIBE_MAX_AGE_DAYS)
    return _subscription(*_read(token, salt=UNSUBSCRIBE_SALT, max_age=max_age, fields=("id", "h")))


def _subscription(subscription_id: object, digest: object) -> AlertSubscription | None:
    subscription = (
        AlertSubscription.objects.select_related("teacher").filter(pk=subscription_id).first()
        if isinstance(subscription_id, int)
        else None
    )
    if subscription is None or not constant_time_compare(email_digest(subscription.email), str(digest)):
        return None
    return subscription


def _read(token: str, *, salt: str, max_age: timedelta, fields: tuple[str, ...]) -> tuple:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenProblem(expired=True) from None
    except signing.BadSignature:
        raise TokenProblem(expired=False) from None
    if not isinstance(data, dict) or not all(field in data for field in fields):
        raise TokenProblem(expired=False)
    return tuple(data[field] for field in fields)
