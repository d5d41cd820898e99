"""Whole-page caching of anonymous pages, in the shared cache.

Anonymous pages (home, exercises, classes…) are the same for every visitor
who carries no personal cookie: they hold no CSRF token, no session data and
no per-user markup (the comment form is protected by a signed token and an
origin check instead; see comments/forms.py). So they can be rendered once,
kept in the shared cache (Redis in production) and sent to everyone, with
``Cache-Control: public``, an ``ETag`` and ``Last-Modified`` so browsers and
nginx can revalidate with a cheap 304.

Freshness: every cached page carries the *generation* number it was rendered
in; the current number lives in the shared cache and is read in the same
round trip as the page. Saving or deleting any content model (see
``PAGE_CACHE_INVALIDATED_BY``) bumps the generation, so the next request on
any app server finds its page stale and renders afresh. Nothing is kept in process memory,
so several app servers stay consistent. A small site changes rarely; wiping
all pages on each change is simpler and safer than tracking which pages
show which object.

When the cache is down or slow (see ``backcare/cache_guard.py``) pages are
rendered as if nothing were cached, and a change still bumps the generation
later: the failed bump is written to the database
(``MissedPageInvalidation``, in the change's own transaction) and the first
process that reaches the cache again bumps it before serving any page. A
process that saw no failure itself checks for such rows every
``PAGE_CACHE_RECONCILE_SECONDS``. So a page cached before the outage is
never served after a change made during it. Bumps also run again once the
change commits, so a page rendered from the old rows between the first bump
and the commit is dropped too.

Personal pages are never shared: a request carrying a session, a message
or a saved-details cookie, or from a signed-in user, bypasses the cache and
gets a ``private`` response; and a response something else marked
``private`` (the comments app does, for a page showing the reader's own
held comment or their saved details) is never stored. Public pages say ``Vary: Cookie``, so
no other cache hands a cookie-holder's page to someone else either.

Languages: the URL alone decides a page's language (bilingual/languages.py),
so the URL is the key and no page varies on ``Accept-Language``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from bilingual.languages import language_from_path

from .cache_guard import CacheUnavailable, guard, guarded

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Headers that belong to the page and are replayed from the cache. Set-Cookie
# is never among them: a response that sets a cookie is not cached.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Vary",
)


def current_generation(known: int | None = None) -> int:
    """The generation pages are filed under now (``known``: already read from the cache).

    Raises ``CacheUnavailable`` when the cache cannot be reached.
    """
    if known is not None:
        return known
    generation = guarded("page cache", cache.get, GENERATION_KEY)
    if generation is None:
        guarded("page cache", cache.add, GENERATION_KEY, fresh_generation(), timeout=None)
        generation = guarded("page cache", cache.get, GENERATION_KEY)
    return generation


def fresh_generation() -> int:
    """A starting number no surviving page can carry, should the counter itself be
    lost (a flushed or evicting cache): nanoseconds since the epoch, always ahead
    of what edits could have counted up to, and never the same twice."""
    return time.time_ns()


def bump_generation() -> None:
    """Make every cached page stale now; if the cache cannot be told, write that down.

    Never raises: a content change must not fail, nor roll back, because of the cache.
    """
    try:
        try:
            guarded("page cache invalidation", cache.incr, GENERATION_KEY)
        except ValueError:  # no counter yet, or it was lost: start ahead of every page
            guarded("page cache invalidation", cache.set, GENERATION_KEY, fresh_generation(), timeout=None)
    except CacheUnavailable:
        record_missed_invalidation()


def record_missed_invalidation() -> None:
    """Keep in the database that pages must be dropped once the cache is back (see ``Reconciler``)."""
    from .models import MissedPageInvalidation

    try:
        with transaction.atomic():
            MissedPageInvalidation.objects.create()
    except DatabaseError:
        logger.exception("Could not record a missed page-cache invalidation")


def invalidate(**_signal_kwargs: object) -> None:
    """Make every cached page stale, on every app server (connected to model signals).

    Bumped at once (so this process's next page is fresh, even inside the
    transaction) and again after the commit: another server may have rendered
    a page from the rows as they were before the commit, in between.
    """
    bump_generation()
    transaction.on_commit(bump_generation)


class Reconciler:
    """Applies invalidations missed while the cache was down, before a cached page is served.

    Due when this process saw a cache failure since it last looked (it reaches
    the cache again), or every ``PAGE_CACHE_RECONCILE_SECONDS`` in any case
    (a process that saw nothing of the outage). One cheap query; none at all
    while nothing is due.
    """

    def __init__(self) -> None:
        self.seen_failures = 0
        self.next_check = 0.0
        self._lock = threading.Lock()

    def is_due(self) -> bool:
        interval = settings.PAGE_CACHE_RECONCILE_SECONDS
        return guard.failures != self.seen_failures or (interval > 0 and time.monotonic() >= self.next_check)

    def run(self) -> int | None:
        """Bump the generation if the database holds missed invalidations; return the new one, if any.

        Raises ``CacheUnavailable`` if the cache fails meanwhile; on a database
        error it leaves things due and returns None.
        """
        from .models import MissedPageInvalidation

        with self._lock:
            failures = guard.failures
            try:
                newest = MissedPageInvalidation.objects.aggregate(newest=Max("pk"))["newest"]
            except DatabaseError:
                logger.warning("Could not read missed page-cache invalidations", exc_info=True)
                return None
            generation = None
            if newest is not None:
                generation = fresh_generation()
                guarded("page cache invalidation", cache.set, GENERATION_KEY, generation, timeout=None)
                try:
                    MissedPageInvalidation.objects.filter(pk__lte=newest).delete()
                except DatabaseError:  # deleted next time; one more bump is harmless
                    logger.warning("Could not clear missed page-cache invalidations", exc_info=True)
                logger.warning(
                    "Dropped every cached page: %s change(s) were made while the cache was down.", newest
                )
            self.seen_failures = failures
            self.next_check = time.monotonic() + settings.PAGE_CACHE_RECONCILE_SECONDS
            return generation

    def reset(self) -> None:
        """Nothing due (tests)."""
        self.seen_failures = guard.failures
        self.next_check = time.monotonic() + settings.PAGE_CACHE_RECONCILE_SECONDS


reconciler = Reconciler()


def has_personal_cookie(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def is_personal(request: HttpRequest) -> bool:
    if has_personal_cookie(request):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def page_key(request: HttpRequest) -> str:
    """The language is the URL's (/cy/… is Welsh): never the browser's, so both
    languages' readers of one address share one copy, and no address is ever
    answered with the other language's page."""
    language = language_from_path(request.path_info)
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:{language}:{url}"


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of the pages in ``PAGE_CACHE_URL_NAMES`` from the shared cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.url_names = frozenset(settings.PAGE_CACHE_URL_NAMES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.enabled or request.method not in ("GET", "HEAD") or has_personal_cookie(request):
            return self.mark_private_if_personal(request, self.get_response(request))

        # One round trip for both: the page keeps the generation it was
        # rendered in, and counts only if that is still the current one.
        key = page_key(request)
        try:
            found = guarded("page cache", cache.get_many, [GENERATION_KEY, key])
            stored = found.get(key)
            if reconciler.is_due() and (bumped := reconciler.run()) is not None:
                found, stored = {GENERATION_KEY: bumped}, None
            generation = current_generation(found.get(GENERATION_KEY))
        except CacheUnavailable:
            return self.render_without_cache(request)
        if stored is not None and stored.get("generation") == generation:
            return self.replay(request, stored)

        response = self.get_response(request)
        if not self.is_shareable(request, response):
            return self.mark_private_if_personal(request, response)
        self.make_public(response)
        try:
            guarded(
                "page cache",
                cache.set,
                key,
                {
                    "generation": generation,
                    "status": response.status_code,
                    "content": response.content,
                    "headers": {
                        h: response[h] for h in (*KEPT_HEADERS, "ETag", "Last-Modified") if h in response
                    },
                },
                timeout=settings.PAGE_CACHE_SECONDS,
            )
        except CacheUnavailable:
            response["X-Page-Cache"] = "unavailable"
        return get_conditional_response(request, etag=response["ETag"], last_modified=None, response=response)

    def render_without_cache(self, request: HttpRequest) -> HttpResponseBase:
        """The cache is down: render the page as usual, and neither read nor store it."""
        response = self.get_response(request)
        if not self.is_shareable(request, response):
            return self.mark_private_if_personal(request, response)
        self.make_public(response)
        response["X-Page-Cache"] = "unavailable"
        return get_conditional_response(request, etag=response["ETag"], last_modified=None, response=response)

    def is_shareable(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and match.view_name in self.url_names
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and not is_personal(request)
        )

    def make_public(self, response: HttpResponse) -> None:
        response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["Last-Modified"] = http_date()
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        response["X-Page-Cache"] = "miss"

    def replay(self, request: HttpRequest, stored: dict) -> HttpResponseBase:
        response = HttpResponse(stored["content"], status=stored["status"])
        for header, value in stored["headers"].items():
            response[header] = value
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=response["ETag"], last_modified=None, response=response)

    def mark_private_if_personal(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Signed-in pages carry draft banners; a session or saved details may fill
        in a form or show a held comment: never let a shared cache keep them."""
        if is_personal(request) and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response
