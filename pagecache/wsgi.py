"""The page cache before Django: cached pages answered by a WSGI layer in front of Django's handler.

``backcare/wsgi.py`` wraps the site's WSGI application in ``ServeHitsBeforeDjango``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from .guard import CacheUnavailable
from .invalidation import reconciler
from .keys import is_shared_page
from .middleware import PublicPageCacheMiddleware, lookup, replay
from .personal import personal_cookie_names

logger = logging.getLogger(__name__)

# A flag of ours on Django's request (the stubs' HttpRequest cannot declare it),
# set by the innermost step when it found the page, read back by ``hit``.
HIT_ATTRIBUTE = "page_cache_hit"


def mark_hit(request: HttpRequest) -> None:
    """The stored page answered this request (not the empty stand-in)."""
    setattr(request, HIT_ATTRIBUTE, True)


def was_hit(request: HttpRequest) -> bool:
    return getattr(request, HIT_ATTRIBUTE, False) is True


class ServeHitsBeforeDjango:
    """A WSGI layer in front of Django that answers anonymous GETs of cached pages.

    A hit through Django costs its handler and every middleware on top of the
    one cache round trip; here it costs the round trip and the middleware
    *outside* ``PublicPageCacheMiddleware`` (security headers, the HTTPS
    redirect, WhiteNoise), the very same classes from ``MIDDLEWARE``, so a
    hit keeps the same headers. The Host must be allowed, a personal cookie
    sends the request on to Django, and ``If-None-Match`` gets a 304.
    Anything else (a miss, a POST, a personal or unknown request, a cache
    that cannot be read) goes to Django unchanged, where the middleware
    renders and stores it.
    """

    def __init__(self, django_app: Callable) -> None:
        from django.utils.module_loading import import_string

        self.django_app = django_app
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.personal_cookies = personal_cookie_names()
        middleware = list(settings.MIDDLEWARE)
        ours = f"{PublicPageCacheMiddleware.__module__}.{PublicPageCacheMiddleware.__name__}"
        handler: Callable[[HttpRequest], HttpResponseBase] = self.stored_page
        for path in reversed(middleware[: middleware.index(ours)] if ours in middleware else []):
            handler = import_string(path)(handler)
        self.outer = handler

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        response = self.hit(environ) if self.enabled else None
        if response is None:
            return self.django_app(environ, start_response)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        # The bytes alone: a hit touched no database, so Django's end-of-request
        # signal (which response.close() would send) has nothing to tidy.
        return [response.content]

    def hit(self, environ: dict) -> HttpResponse | None:
        """The cached answer to this request, or None when Django must answer it."""
        from django.core.handlers.wsgi import WSGIRequest, get_path_info

        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or reconciler.is_due():
            return (
                None  # (missed invalidations are applied inside Django, where its database is looked after)
            )
        if not is_shared_page(get_path_info(environ)):
            return None  # not a cached page (a static file, the admin…): Django's alone
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and any(name in cookies for name in self.personal_cookies):
            return None  # maybe personal: Django parses the cookies properly and decides
        request = WSGIRequest(environ)
        response = self.outer(request)
        # A hit is the stored page (an HttpResponse) or a middleware's own answer to it.
        return response if was_hit(request) and isinstance(response, HttpResponse) else None

    def stored_page(self, request: HttpRequest) -> HttpResponseBase:
        """The innermost step: the stored page (marking the request a hit), else an empty stand-in."""
        from django.core.exceptions import DisallowedHost

        try:
            _page, stored, _current = lookup(request)
        except DisallowedHost:
            stored = None  # Django answers 400, and logs it as usual
        except CacheUnavailable:  # Django renders, as if nothing were cached
            stored = None
        except Exception:  # never a bare 500 before Django: let Django answer, and log why
            logger.exception("Page cache unreadable before Django; passing the request on")
            stored = None
        if stored is None:
            return HttpResponse(status=204)  # discarded: the request goes on to Django
        mark_hit(request)
        return replay(request, stored)
