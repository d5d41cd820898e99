"""Who gets a shared page: nobody signed in, and nobody with a cookie that personalises pages.

Django's session and message cookies make a page personal here; an app whose
own cookie changes what a page shows says so once, in its ``ready()``:

    personal_cookies(tokens.AUTHOR_COOKIE, tokens.OWN_COOKIE)

nginx's micro-cache must skip the same cookies (deploy/nginx/backcare.conf;
tests/deploy/test_nginx.py checks it against ``personal_cookie_names()``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest

_declared: dict[str, None] = {}  # in the order apps declared them, once each


def personal_cookies(*names: str) -> None:
    """Declare cookies that make a page personal: a request carrying one is never served a shared
    page, nor is its page stored."""
    _declared.update(dict.fromkeys(names))


def personal_cookie_names() -> tuple[str, ...]:
    """Every cookie that makes a page personal: the session's, the messages', and those apps declared."""
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, *_declared)


def has_personal_cookie(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in personal_cookie_names())


def is_personal(request: HttpRequest) -> bool:
    if has_personal_cookie(request):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
