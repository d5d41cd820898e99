"""A form posted while the database is unreachable gets a "try again" page that keeps every word.

PostgreSQL restarting (or SQLite's disk failing) must not cost a person what
they typed. ``KeepThePostMiddleware`` catches a database connection error
raised by a view answering a POST (a comment, an enquiry): nothing was saved
(the save's transaction rolled back), and the answer is a 503 page holding
the same form, filled in, that posts to the same address again. The page is
rendered without the request's context processors, so it needs no database.
The admin is left out (``EXCLUDED_PATHS``): its forms carry files.

A page never echoes a secret: the sign-in pages (``/accounts/``, in either
language) get the page without any of what was posted (a password, a sign-in
or second-factor code, a reset key), and on every other page a field whose
name says it is secret is dropped. Comments and enquiries keep every word.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from bilingual.languages import ENGLISH, path_in

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# POSTs to these paths get Django's error page, not the retry page, when the database is unreachable.
EXCLUDED_PATHS = ("/admin/",)
# The fields shown to the person, with their labels; every other field is
# carried along hidden (tokens, the CSRF token, which comment is answered…).
VISIBLE_FIELDS = {
    "name": _("Name"),
    "email": _("E-mail"),
    "url": _("Website"),
    "phone": _("Phone"),
}
TEXT_FIELDS = {"text": _("Comment"), "message": _("Message")}
# Pages whose posts are never written back into the page (allauth: passwords, codes, keys).
SIGN_IN_PREFIX = "/accounts/"
# A field whose name holds one of these is never written back into a page. (Not "token":
# the comment form's signed token and the CSRF token must go along, and are no one's secret.)
SECRET_NAME_PARTS = ("password", "passwd", "secret", "otp", "code", "key", "credential")


def is_secret(name: str) -> bool:
    return any(part in name.lower() for part in SECRET_NAME_PARTS)


def is_sign_in(path: str) -> bool:
    return path_in(path, ENGLISH).startswith(SIGN_IN_PREFIX)


def retry_page(request: HttpRequest) -> HttpResponse:
    keep = not is_sign_in(request.path_info)
    visible: list[tuple[str, StrOrPromise, str]] = []
    texts: list[tuple[str, StrOrPromise, str]] = []
    hidden: list[tuple[str, str]] = []
    for name in request.POST if keep else ():
        value = request.POST.get(name, "")
        if is_secret(name):
            continue
        if name in TEXT_FIELDS:
            texts.append((name, TEXT_FIELDS[name], value))
        elif name in VISIBLE_FIELDS:
            visible.append((name, VISIBLE_FIELDS[name], value))
        else:
            hidden.extend((name, item) for item in request.POST.getlist(name))
    html = loader.get_template("errors/database_retry.html").render(
        {
            "action": request.get_full_path(),
            "keep": keep,
            "visible": visible,
            "texts": texts,
            "hidden": hidden,
        }
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class KeepThePostMiddleware:
    """Answer the retry page for a public form's POST the database could not take."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError) or request.method != "POST":
            return None
        if any(request.path_info.startswith(prefix) for prefix in EXCLUDED_PATHS):
            return None
        logger.warning("Database unreachable while saving a form at %s: %s", request.path, exception)
        return retry_page(request)
