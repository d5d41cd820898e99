"""Whole-page caching of anonymous pages, in the shared cache.

Anonymous pages (home, exercises, classes…) are the same for every visitor
who carries no personal cookie: they hold no CSRF token, no session data and
no per-user markup (the comment form is protected by a signed token and an
origin check instead; see comments/forms.py). So they can be rendered once,
kept in the shared cache (Redis in production) and sent to everyone, with
``Cache-Control: public``, an ``ETag`` and ``Last-Modified`` so browsers and
nginx can revalidate with a cheap 304.

Which pages, and the key: ``PAGE_CACHE_PAGES`` names each cached view, the
query parameters it reads and the *scopes* it depends on. The key is the
release (``BACKCARE_RELEASE``, backcare/release.py: a restarted process with
new code, templates or Welsh strings never answers from the old release's
pages), the host (checked against ``ALLOWED_HOSTS`` first), the language, the
path and only those parameters, in canonical order; a request with any other
parameter is answered by Django without being stored, so made-up query
strings cannot fill the cache. Every entry has a TTL (``PAGE_CACHE_SECONDS``).

Freshness: every cached page carries the *generation* numbers it was
rendered under: the site-wide one, one per scope it depends on (``exercises``,
``classes``, ``comments``) and one for its own path. They are read in the
same round trip as the page, and the page counts only while all still match.
A change bumps only the generations of what it touches (``PAGE_CACHE_SCOPES_OF``
for content models; an approved comment bumps its page's path, one counter
for that page in every language), and only
after its transaction commits (``transaction.on_commit``): a reader who
renders while the change is still uncommitted stores the old page under the
old numbers, which the bump then retires. A save nothing public shows (a
pending or spam comment, a verdict on it, an audit row, a re-check time)
bumps nothing. Nothing is kept in process memory, so several app servers
stay consistent.

When the cache is down or slow (see ``backcare/cache_guard.py``) pages are
rendered as if nothing were cached (``X-Page-Cache: unavailable``), and a
change still retires the pages later: a bump that fails is written to the
database (``MissedPageInvalidation``) and the first process that reaches the
cache again bumps the site-wide generation before serving any page. A
process that saw no failure itself checks for such rows every
``PAGE_CACHE_RECONCILE_SECONDS``. So a page cached before the outage is
never served after a change made during it.

Personal pages are never shared: a request carrying a session, a message
or a saved-details cookie, or from a signed-in user, bypasses the cache and
gets a ``private`` response; and a response something else marked
``private`` (the comments app does, for a page showing the reader's own
held comment or their saved details) is never stored. Public pages say ``Vary: Cookie``, so
no other cache hands a cookie-holder's page to someone else either.

Languages: the URL alone decides a page's language (bilingual/languages.py),
so the URL is the key and no page varies on ``Accept-Language``.

``backcare/wsgi.py`` answers hits before Django (``ServeHitsBeforeDjango``);
this middleware answers the rest and stores what it renders.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.connection import ConnectionProxy
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from bilingual.languages import language_from_path, path_in

from .cache_guard import CacheUnavailable, guard, guarded

logger = logging.getLogger(__name__)

# The page store (settings ``CACHES["pages"]``): evictable, unlike the counters in ``default``.
cache = ConnectionProxy(caches, "pages")

# The site-wide generation: every page depends on it (``invalidate()`` bumps it).
GENERATION_KEY = "pagecache:generation"
SCOPE_PREFIX = "pagecache:scope:"
PATH_PREFIX = "pagecache:path:"
PAGE_PREFIX = "pagecache:page:"
FRAGMENT_PREFIX = "pagecache:fragment:"
# Headers that belong to the page and are replayed from the cache. Set-Cookie
# is never among them: a response that sets a cookie is not cached.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Vary",
)


# --- Which page, under which key and generations --------------------------------


@dataclass(frozen=True)
class CachedPage:
    """Where a request's page lives in the cache, and the generations it depends on.

    ``key`` is None when the request carries a query parameter the view does
    not read: such a page is rendered but never stored.
    """

    key: str | None
    generation_keys: tuple[str, ...]


def scope_key(scope: str) -> str:
    return SCOPE_PREFIX + scope


def path_key(path: str) -> str:
    """The generation of one page in every language: all its query strings, hosts and languages.

    ``/cy/exercises/x/`` and ``/exercises/x/`` share one counter (slugs are the
    same in both languages, ``bilingual.languages.path_in``), so a change
    retires the page, and its own fragments, in every language of
    ``LANGUAGES``, whichever language was active where it was made: a Welsh
    admin, an English one, or a task with none.
    """
    bare = path_in(path, settings.LANGUAGE_CODE)
    return PATH_PREFIX + hashlib.sha256(bare.encode()).hexdigest()


def cached_page(request: HttpRequest) -> CachedPage | None:
    """The cache entry for this GET, or None if its view is not one ``PAGE_CACHE_PAGES`` names.

    Raises ``DisallowedHost`` for a Host not in ``ALLOWED_HOSTS``, as Django would.
    """
    spec = _page_spec(request.path_info)
    if spec is None:
        return None
    params = spec.get("params", ())
    generation_keys = (
        GENERATION_KEY,
        *(scope_key(scope) for scope in spec.get("scopes", ())),
        path_key(request.path),
    )
    if any(name not in params for name in request.GET):
        return CachedPage(None, generation_keys)
    query = urlencode([(name, value) for name in sorted(params) for value in request.GET.getlist(name)])
    language = language_from_path(request.path_info)  # the URL's, never the browser's
    identity = "\n".join((settings.BACKCARE_RELEASE, request.get_host(), language, request.path, query))
    return CachedPage(PAGE_PREFIX + hashlib.sha256(identity.encode()).hexdigest(), generation_keys)


@lru_cache(maxsize=4096)
def _page_spec(path_info: str) -> dict[str, tuple[str, ...]] | None:
    """What ``PAGE_CACHE_PAGES`` says of the view at this path (remembered: resolving costs a third of a hit)."""
    try:
        with translation.override(language_from_path(path_info)):  # /cy/… resolves only in Welsh
            match = resolve(path_info)
    except Resolver404:
        return None
    return settings.PAGE_CACHE_PAGES.get(match.view_name)


def forget_page_specs(*, setting: str, **_signal_kwargs: object) -> None:
    """Tests that change the URLs or the cached pages (connected to ``setting_changed``)."""
    if setting in ("ROOT_URLCONF", "PAGE_CACHE_PAGES"):
        _page_spec.cache_clear()


def fresh_generation() -> int:
    """A starting number no surviving page can carry, should a counter itself be
    lost (a flushed or evicting cache): nanoseconds since the epoch, always ahead
    of what edits could have counted up to, and never the same twice."""
    return time.time_ns()


def generations(page: CachedPage, found: dict) -> tuple[int, ...]:
    """The current generations of ``page``, from ``found`` (one ``get_many`` with the page).

    A counter that is missing (never set, evicted, expired) starts afresh,
    before the page is rendered, so a bump during the render still retires it.
    Raises ``CacheUnavailable`` when the cache cannot be reached.
    """
    missing = [key for key in page.generation_keys if found.get(key) is None]
    if missing:
        for key in missing:
            timeout = settings.PAGE_CACHE_SECONDS if key.startswith(PATH_PREFIX) else None
            guarded("page cache", cache.add, key, fresh_generation(), timeout=timeout)
        found = {**found, **guarded("page cache", cache.get_many, missing)}
    return tuple(found.get(key) for key in page.generation_keys)


def current_generation() -> int:
    """The site-wide generation (started if missing); raises ``CacheUnavailable``."""
    page = CachedPage(None, (GENERATION_KEY,))
    return generations(page, guarded("page cache", cache.get_many, [GENERATION_KEY]))[0]


def cached_fragment(name: str, scopes: Iterable[str], render: Callable[[], str], *, path: str = "") -> str:
    """A part of pages, rendered once per release, generation of ``scopes``, language and day.

    With ``path``, it is that page's own part (its comments) and also depends
    on the page's own generation, which a change readers see on that page
    bumps. One cache round trip when it is fresh; a cache that cannot be read
    or written means rendering it, as if nothing were cached.
    """
    key = f"{FRAGMENT_PREFIX}{settings.BACKCARE_RELEASE}:{name}:{get_language()}:{timezone.localdate().isoformat()}"
    generation_keys = [GENERATION_KEY, *(scope_key(scope) for scope in scopes)]
    if path:
        key += ":" + hashlib.sha256(path.encode()).hexdigest()
        generation_keys.append(path_key(path))
    fragment = CachedPage(key, tuple(generation_keys))
    try:
        found = guarded("page fragments", cache.get_many, [key, *fragment.generation_keys])
        current = generations(fragment, found)
    except CacheUnavailable:  # the cache is down or failing: the fragment is only rendered
        return render()
    stored = found.get(key)
    if stored is not None and tuple(stored[0]) == current:
        return mark_safe(stored[1])  # noqa: S308 - rendered by our template, stored as it was
    html = render()
    with contextlib.suppress(CacheUnavailable):
        guarded("page fragments", cache.set, key, (current, str(html)), timeout=settings.PAGE_CACHE_SECONDS)
    return html


# --- Invalidation ----------------------------------------------------------------------


def bump(keys: Iterable[str]) -> None:
    """Retire every page filed under these generations, on every app server.

    A counter that no longer exists retires nothing: a page can only match a
    counter that is there (see ``generations``). If the cache cannot be told,
    that is written down for later (``Reconciler``). Never raises: a content
    change must not fail because of the cache.
    """
    try:
        for key in keys:
            with contextlib.suppress(ValueError):
                guarded("page cache invalidation", cache.incr, key)
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


class Reconciler:
    """Applies invalidations missed while the cache was down, before a cached page is served.

    Due when this process saw a cache failure since it last looked (it reaches
    the cache again), or every ``PAGE_CACHE_RECONCILE_SECONDS`` in any case
    (a process that saw nothing of the outage). One cheap query; none at all
    while nothing is due. A missed change retires every page (the site-wide
    generation): which pages it touched was not kept.
    """

    def __init__(self) -> None:
        self.seen_failures = 0
        self.next_check = 0.0
        self._lock = threading.Lock()

    def is_due(self) -> bool:
        interval = settings.PAGE_CACHE_RECONCILE_SECONDS
        return guard.failures != self.seen_failures or (interval > 0 and time.monotonic() >= self.next_check)

    def run(self) -> int | None:
        """Bump the site-wide generation if the database holds missed invalidations; return the new one, if any.

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


def invalidate_after_commit(*, scopes: Iterable[str] = (), paths: Iterable[str] = ()) -> None:
    """Retire the pages of these scopes and paths once the current transaction commits.

    Never before: a reader rendering from the old rows meanwhile would store
    the old page under the new numbers, and keep showing it.
    """
    keys = [scope_key(scope) for scope in scopes] + [path_key(path) for path in paths if path]
    if keys:
        transaction.on_commit(partial(bump, keys))


def invalidate(**_signal_kwargs: object) -> None:
    """Retire every cached page, after commit (a deploy hook, or a change of unknown reach)."""
    transaction.on_commit(partial(bump, [GENERATION_KEY]))


def content_changed(*, label: str, **_signal_kwargs: object) -> None:
    """A content model listed in ``PAGE_CACHE_SCOPES_OF`` was saved, deleted or re-linked."""
    invalidate_after_commit(scopes=settings.PAGE_CACHE_SCOPES_OF[label])


def comment_saved(instance: object, **_signal_kwargs: object) -> None:
    """A comment was saved: its page changes only if a reader could see the difference."""
    if instance.shows_change_to_readers():
        _invalidate_comment_page(instance)


def comment_deleted(instance: object, **_signal_kwargs: object) -> None:
    if instance.was_public():
        _invalidate_comment_page(instance)


def _invalidate_comment_page(comment: object) -> None:
    def retire_its_page() -> None:  # the page's address costs a query: looked up after commit
        if url := comment.target_url:  # in the language active now; ``path_key`` covers them all
            bump([path_key(url)])

    transaction.on_commit(retire_its_page)


# --- Who gets a shared page ---------------------------------------------------------


def has_personal_cookie(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def is_personal(request: HttpRequest) -> bool:
    if has_personal_cookie(request):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def replay(request: HttpRequest, stored: dict) -> HttpResponse:
    """A stored page as a response (or a 304), with the headers it was stored with."""
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
    response["X-Page-Cache"] = "hit"
    return get_conditional_response(request, etag=response["ETag"], last_modified=None, response=response)


def lookup(request: HttpRequest) -> tuple[CachedPage | None, dict | None, tuple[int, ...]]:
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


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of the pages in ``PAGE_CACHE_PAGES`` from the shared cache."""

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
        if page is None or not self.is_shareable(request, response):
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
        return (
            response.status_code == 200
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

    def mark_private_if_personal(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Signed-in pages carry draft banners; a session or saved details may fill
        in a form or show a held comment: never let a shared cache keep them."""
        if is_personal(request) and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response


# --- Hits before Django ------------------------------------------------------------


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
        self.personal_cookies = tuple(settings.PAGE_CACHE_PERSONAL_COOKIES)
        middleware = list(settings.MIDDLEWARE)
        ours = f"{__name__}.{PublicPageCacheMiddleware.__name__}"
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

    def hit(self, environ: dict) -> HttpResponseBase | None:
        """The cached answer to this request, or None when Django must answer it."""
        from django.core.handlers.wsgi import WSGIRequest, get_path_info

        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or reconciler.is_due():
            return (
                None  # (missed invalidations are applied inside Django, where its database is looked after)
            )
        if _page_spec(get_path_info(environ)) is None:
            return None  # not a cached page (a static file, the admin…): Django's alone
        cookies = environ.get("HTTP_COOKIE", "")
        if cookies and any(name in cookies for name in self.personal_cookies):
            return None  # maybe personal: Django parses the cookies properly and decides
        request = WSGIRequest(environ)
        request.page_cache_hit = None
        response = self.outer(request)
        return response if request.page_cache_hit else None

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
        request.page_cache_hit = True
        return replay(request, stored)
