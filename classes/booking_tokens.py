"""The signed links of place requests: confirm the address, take an offered place, cancel.

Made and read by ``classes/signed_links.py`` (as course alerts' are). The offer's
own time limit is the booking's ``offer_expires_at``; its link lives as long as a
cancel link, so a late click is told the offer ran out rather than "broken link".
"""

from __future__ import annotations

from datetime import timedelta

from .models import Booking
from .signed_links import TokenProblem, make, read, same_address

__all__ = ["CONFIRM_DAYS", "TokenProblem", "cancel_token", "confirm_token", "offer_token", "read_token"]

EMAIL_KEY = "classes.bookings.email"
SALTS = {
    "confirm": "classes.bookings.confirm",
    "offer": "classes.bookings.offer",
    "cancel": "classes.bookings.cancel",
}
# The address link works for a week (unconfirmed requests are deleted after it); the others a year.
CONFIRM_DAYS = 7
LINK_DAYS = 365


def _token(booking: Booking, kind: str) -> str:
    return make(booking.pk, booking.email, salt=SALTS[kind], key=EMAIL_KEY)


def confirm_token(booking: Booking) -> str:
    return _token(booking, "confirm")


def offer_token(booking: Booking) -> str:
    return _token(booking, "offer")


def cancel_token(booking: Booking) -> str:
    return _token(booking, "cancel")


def read_token(token: str, kind: str) -> Booking | None:
    """The booking the link is for; None when it is gone (erased, purged, spam).
    Raises ``TokenProblem`` for a link that was tampered with or is too old."""
    days = CONFIRM_DAYS if kind == "confirm" else LINK_DAYS
    booking_id, digest = read(token, salt=SALTS[kind], max_age=timedelta(days=days))
    booking = (
        Booking.objects.select_related("course__venue").filter(pk=booking_id).first()
        if isinstance(booking_id, int)
        else None
    )
    if booking is None or not same_address(booking.email, digest, key=EMAIL_KEY):
        return None
    return booking
