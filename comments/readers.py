"""What the site remembers of a reader in cookies: their saved details and their own recent comments.

Both cookies are signed (``comments/tokens.py`` reads and writes their values)
and neither is a session, so a post writes no session row. Reading either
makes the page personal (``request.comments_personalised``), so it is never
kept in a shared cache. The post view writes them; the template tags read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import tokens

REMEMBERED_FIELDS = ("name", "email", "url")


def mark_personalised(request: HttpRequest) -> None:
    """Make the page this reader's alone: ``comments/middleware.py`` marks its response private."""
    # A flag of ours on Django's request, read back with getattr: the stubs' HttpRequest cannot declare it.
    request.comments_personalised = True  # type: ignore[attr-defined]


def initial_details(request: HttpRequest) -> dict[str, object]:
    """Name, e-mail and website to fill in: the signed-in account's, else the saved-details cookie's.

    Either makes the page personal (``request.comments_personalised``), so it
    is never kept in a shared cache.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        mark_personalised(request)
        return {"name": user.get_full_name() or user.get_username(), "email": user.email}
    saved = tokens.read_author_cookie(request.COOKIES.get(tokens.AUTHOR_COOKIE))
    if saved:
        mark_personalised(request)
        return {**saved, "remember": True}
    return {}


def own_comment_ids(request: HttpRequest) -> list[int]:
    """The comments this reader posted recently (the signed cookie), which they may see while they wait."""
    return tokens.read_own_comments_cookie(request.COOKIES.get(tokens.OWN_COOKIE))


def remember_own_comment(request: HttpRequest, response: HttpResponse, pk: int) -> None:
    """A signed cookie instead of a session: a post writes no session row."""
    _set_cookie(
        response,
        tokens.OWN_COOKIE,
        tokens.own_comments_cookie_value([*own_comment_ids(request), pk]),
        days=tokens.OWN_COOKIE_DAYS,
    )


def remember_details(request: HttpRequest, response: HttpResponse, posted: Mapping[str, Any]) -> None:
    """The opt-in cookie: set only when the box is ticked, removed when it is unticked.

    ``posted``: the comment form's cleaned data.
    """
    cookie = tokens.AUTHOR_COOKIE
    if posted["remember"]:
        _set_cookie(
            response,
            cookie,
            tokens.author_cookie_value(**{name: posted[name] for name in REMEMBERED_FIELDS}),
            days=tokens.AUTHOR_COOKIE_DAYS,
        )
    elif cookie in request.COOKIES:
        response.delete_cookie(cookie, samesite="Lax")


def _set_cookie(response: HttpResponse, name: str, value: str, *, days: int) -> None:
    """Every reader's cookie: sent only over HTTPS (outside development), hidden from scripts, same-site."""
    response.set_cookie(
        name,
        value,
        max_age=int(timedelta(days=days).total_seconds()),
        secure=not settings.DEBUG,
        httponly=True,
        samesite="Lax",
    )
