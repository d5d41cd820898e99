"""Staff sessions end after an idle period; readers' sessions are left as they are.

Django's ``SESSION_COOKIE_AGE`` (two weeks) applies to every session alike,
and its other ``SESSION_*`` settings cannot tell staff from readers: a short
age with ``SESSION_SAVE_EVERY_REQUEST`` would sign readers out too and write
every reader's session on every request. So this middleware keeps the time
of a staff session's last request in the session itself (written at most
once a minute) and, when a request comes after more than
``STAFF_SESSION_IDLE_SECONDS``, signs the person out and sends them to sign in
again, with a message that says why. A stolen or forgotten staff cookie is
then worth nothing after the idle period (ASVS 7.3.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

LAST_SEEN = "backcare_staff_last_seen"
# The last-seen time is rewritten at most this often, so a busy editor's session is not saved on
# every click; an idle period is then measured to within this.
WRITE_EVERY_SECONDS = 60


def now() -> float:
    """Seconds since the epoch (tests move this clock instead of sleeping)."""
    return time.time()


def is_staff(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    )


class StaffIdleTimeoutMiddleware:
    """Signs out a member of staff whose session has been idle too long. After AuthenticationMiddleware
    and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Without a session cookie nobody is signed in: public pages never load a session here.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not is_staff(request.user):
            return self.get_response(request)
        current = now()
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and current - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
            logout(request)
            messages.info(
                request,
                _(
                    "You have been signed out because you had not used the site for a while. Please sign in again."
                ),
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or current - last_seen >= WRITE_EVERY_SECONDS:
            request.session[LAST_SEEN] = current
        return self.get_response(request)
