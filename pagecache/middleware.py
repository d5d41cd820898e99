"""The page cache inside Django: serve anonymous GETs of ``@shared_page`` views, and store what is rendered.

Hits mostly never reach it: ``pagecache.wsgi.ServeHitsBeforeDjango`` answers
them before Django. See the ``pagecache`` package for the whole design.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeGuard

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .guard import CacheUnavailable, guard, guarded
from .invalidation import reconciler
from .keys import CachedPage, cache, cached_page, generations
from .personal import has_personal_cookie, is_personal

# Headers that belong to the page and are replayed from the cache. Set-Cookie
# is never among them: a response that sets a cookie is not cached.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Vary",
)


def replay(request: HttpRequest, stored: dict) -> HttpResponse:
    """A stored page as a response (or a 304), with the headers it was stored with."""
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
    response["X-Page-Cache"] = "hit"
    return conditional(request, response)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response``, or a 304 (or 412) when the request's conditions say so.

    Given a response, Django's ``get_conditional_response`` never answers None
    (its stubs say it may, for a call without one).
    """
    answer = get_conditional_response(request, etag=response["ETag"], last_modified=None, response=response)
    return response if answer is None else answer


def lookup(request: HttpRequest) -> tuple[CachedPage | None, dict | None, tuple[int | None, ...]]:
    """The request's cache entry, its stored page if still fresh, and the current generations.

    One cache round trip in the usual case. Raises ``CacheUnavailable`` when
    the cache cannot be reached, and ``DisallowedHost`` as Django would.
    """
    page = cached_page(request)
    if page is None:
        return None, None, ()
    if reconciler.is_due():
        # Before reading the page: read first, and another process could apply (and clear)
        # the missed changes in between, leaving this one to serve what it had read.
        if guard.is_open():
            raise CacheUnavailable("page cache: skipped after a recent cache failure")
        reconciler.run()
    keys = [*page.generation_keys] if page.key is None else [page.key, *page.generation_keys]
    found = guarded("page cache", cache.get_many, keys)
    current = generations(page, found)
    stored = found.get(page.key) if page.key else None
    if stored is not None and tuple(stored.get("generations", ())) != current:
        stored = None
    return page, stored, current


def is_shareable(response: HttpResponseBase, request: HttpRequest) -> TypeGuard[HttpResponse]:
    """A page anonymous readers may share: a 200 with its whole content (never a
    streaming response), no cookie, nothing private.

    ``response`` is narrowed to ``HttpResponse``: the only non-streaming
    response Django has, the one with ``.content`` to store.
    """
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and not is_personal(request)
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of ``@shared_page`` views from the shared cache, and store what they render."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.enabled or request.method not in ("GET", "HEAD") or has_personal_cookie(request):
            return self.mark_private_if_personal(request, self.get_response(request))

        try:
            page, stored, current = lookup(request)
        except CacheUnavailable:
            return self.render_without_cache(request)
        if stored is not None:
            return replay(request, stored)

        response = self.get_response(request)
        if page is None or not is_shareable(response, request):
            return self.mark_private_if_personal(request, response)
        if page.key is None:  # a query string the view does not read: not stored
            patch_vary_headers(response, ["Cookie"])
            response["X-Page-Cache"] = "bypass"
            return response
        self.make_public(response)
        stored = {
            "generations": current,
            "status": response.status_code,
            "content": response.content,
            "headers": {h: response[h] for h in (*KEPT_HEADERS, "ETag", "Last-Modified") if h in response},
        }
        try:
            guarded("page cache", cache.set, page.key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        except CacheUnavailable:
            response["X-Page-Cache"] = "unavailable"
        return conditional(request, response)

    def render_without_cache(self, request: HttpRequest) -> HttpResponseBase:
        """The cache is down: render the page as usual, and neither read nor store it."""
        response = self.get_response(request)
        if not is_shareable(response, request):
            return self.mark_private_if_personal(request, response)
        self.make_public(response)
        response["X-Page-Cache"] = "unavailable"
        return conditional(request, response)

    def make_public(self, response: HttpResponse) -> None:
        response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["Last-Modified"] = http_date()
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        response["X-Page-Cache"] = "miss"

    def mark_private_if_personal(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Signed-in pages carry draft banners; a session or saved details may fill
        in a form or show a held comment: never let a shared cache keep them."""
        if is_personal(request) and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response
