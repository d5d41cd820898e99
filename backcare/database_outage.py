"""A form posted while the database is unreachable gets a "try again" page that keeps every word.

PostgreSQL restarting (or SQLite's disk failing) must not cost a person what
they typed. ``keeps_the_post_when_the_database_is_down`` wraps a view that
saves a form: if the database cannot be reached, nothing was saved (the
save's transaction rolled back), and the answer is a 503 page holding the
same form, filled in, that posts to the same address again. The page is
rendered without the request's context processors, so it needs no database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# The fields shown to the person, with their labels; every other field is
# carried along hidden (tokens, the CSRF token, which comment is answered…).
VISIBLE_FIELDS = {
    "name": _("Name"),
    "email": _("E-mail"),
    "url": _("Website"),
    "phone": _("Phone"),
}
TEXT_FIELDS = {"text": _("Comment"), "message": _("Message")}


def retry_page(request: HttpRequest) -> HttpResponse:
    visible, texts, hidden = [], [], []
    for name in request.POST:
        value = request.POST.get(name, "")
        if name in TEXT_FIELDS:
            texts.append((name, TEXT_FIELDS[name], value))
        elif name in VISIBLE_FIELDS:
            visible.append((name, VISIBLE_FIELDS[name], value))
        else:
            hidden.extend((name, item) for item in request.POST.getlist(name))
    html = loader.get_template("errors/database_retry.html").render(
        {"action": request.get_full_path(), "visible": visible, "texts": texts, "hidden": hidden}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def keeps_the_post_when_the_database_is_down(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """On a POST the database could not take, answer the retry page instead of an error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            if request.method != "POST":
                raise
            logger.warning("Database unreachable while saving a form at %s: %s", request.path, error)
            return retry_page(request)

    return wrapper
