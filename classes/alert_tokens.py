"""The signed links of course alerts: confirm a sign-up, unsubscribe an address.

Made and read by ``classes/signed_links.py``, which place requests share.
"""

from __future__ import annotations

from datetime import timedelta

from . import signed_links
from .models import AlertSubscription
from .signed_links import TokenProblem, make, read, same_address

__all__ = ["CONFIRM_DAYS", "TokenProblem", "confirm_token", "email_digest", "unsubscribe_token"]

CONFIRM_SALT = "classes.alerts.confirm"
UNSUBSCRIBE_SALT = "classes.alerts.unsubscribe"
EMAIL_KEY = "classes.alerts.email"
# A confirmation link works for a week; an unsubscribe link for a year (the
# one-click header in every alert carries one).
CONFIRM_DAYS = 7
UNSUBSCRIBE_MAX_AGE_DAYS = 365


def email_digest(email: str) -> str:
    return signed_links.email_digest(email, key=EMAIL_KEY)


def confirm_token(subscription: AlertSubscription) -> str:
    return make(subscription.pk, subscription.email, salt=CONFIRM_SALT, key=EMAIL_KEY)


def read_confirm_token(token: str) -> AlertSubscription | None:
    """The sign-up the link is for; None when it is gone or its address has changed since.
    Raises ``TokenProblem`` for a link that was tampered with or is more than a week old."""
    return _subscription(*read(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS)))


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return make(subscription.pk, subscription.email, salt=UNSUBSCRIBE_SALT, key=EMAIL_KEY)


def read_unsubscribe_token(token: str) -> AlertSubscription | None:
    """One of the address's sign-ups (None if they are already gone); ``TokenProblem`` as above."""
    max_age = timedelta(days=UNSUBSCRIBE_MAX_AGE_DAYS)
    return _subscription(*read(token, salt=UNSUBSCRIBE_SALT, max_age=max_age))


def _subscription(subscription_id: object, digest: object) -> AlertSubscription | None:
    subscription = (
        AlertSubscription.objects.select_related("teacher").filter(pk=subscription_id).first()
        if isinstance(subscription_id, int)
        else None
    )
    if subscription is None or not same_address(subscription.email, digest, key=EMAIL_KEY):
        return None
    return subscription
