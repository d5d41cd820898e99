"""Which page a request is, under which key, and the generations it depends on."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.connection import ConnectionProxy

from .decorators import SharedPage, declared_page
from .guard import guarded

# The page store (settings ``CACHES["pages"]``): evictable, unlike the counters in ``default``.
cache = ConnectionProxy(caches, "pages")

# The site-wide generation: every page depends on it (``invalidate()`` bumps it).
GENERATION_KEY = "pagecache:generation"
SCOPE_PREFIX = "pagecache:scope:"
PATH_PREFIX = "pagecache:path:"
PAGE_PREFIX = "pagecache:page:"
FRAGMENT_PREFIX = "pagecache:fragment:"

_LANGUAGE_PREFIX = re.compile(r"^/[^/]+(?=/|$)")


@dataclass(frozen=True)
class CachedPage:
    """Where a request's page lives in the cache, and the generations it depends on.

    ``key`` is None when the request carries a query parameter the view does
    not read: such a page is rendered but never stored.
    """

    key: str | None
    generation_keys: tuple[str, ...]


def language_of(path: str) -> str:
    """The language a path is in, from its prefix (``i18n_patterns``: ``/cy/…``), else the default one."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def scope_key(scope: str) -> str:
    return SCOPE_PREFIX + scope


def path_key(path: str) -> str:
    """The generation of one page in every language: all its query strings, hosts and languages.

    ``/cy/exercises/x/`` and ``/exercises/x/`` share one counter (slugs are the
    same in every language; only the prefix differs), so a change retires the
    page, and its own fragments, in every language of ``LANGUAGES``, whichever
    language was active where it was made: a Welsh admin, an English one, or a
    task with none.
    """
    bare = path
    if language_of(path) != settings.LANGUAGE_CODE:
        bare = _LANGUAGE_PREFIX.sub("", path) or "/"
    bare = "/" + bare.lstrip("/\\\t\n\r")
    return PATH_PREFIX + hashlib.sha256(bare.encode()).hexdigest()


def cached_page(request: HttpRequest) -> CachedPage | None:
    """The cache entry for this GET, or None if its view is not ``@shared_page``.

    Raises ``DisallowedHost`` for a Host not in ``ALLOWED_HOSTS``, as Django would.
    """
    spec = _page_spec(request.path_info)
    if spec is None:
        return None
    generation_keys = (
        GENERATION_KEY,
        *(scope_key(scope) for scope in spec.scopes),
        path_key(request.path),
    )
    if any(name not in spec.params for name in request.GET):
        return CachedPage(None, generation_keys)
    query = urlencode([(name, value) for name in sorted(spec.params) for value in request.GET.getlist(name)])
    language = language_of(request.path_info)  # the URL's, never the browser's
    identity = "\n".join((settings.BACKCARE_RELEASE, request.get_host(), language, request.path, query))
    return CachedPage(PAGE_PREFIX + hashlib.sha256(identity.encode()).hexdigest(), generation_keys)


def is_shared_page(path_info: str) -> bool:
    """Whether the view at this path is ``@shared_page`` (no cache call; remembered)."""
    return _page_spec(path_info) is not None


@lru_cache(maxsize=4096)
def _page_spec(path_info: str) -> SharedPage | None:
    """What the view at this path declared (remembered: resolving costs a third of a hit)."""
    try:
        with translation.override(language_of(path_info)):  # /cy/… resolves only in Welsh
            match = resolve(path_info)
    except Resolver404:
        return None
    return declared_page(match.func)


def forget_page_specs(*, setting: str, **_signal_kwargs: object) -> None:
    """Tests that change the URLs (connected to ``setting_changed``)."""
    if setting == "ROOT_URLCONF":
        _page_spec.cache_clear()


def fresh_generation() -> int:
    """A starting number no surviving page can carry, should a counter itself be
    lost (a flushed or evicting cache): nanoseconds since the epoch, always ahead
    of what edits could have counted up to, and never the same twice."""
    return time.time_ns()


def generations(page: CachedPage, found: dict) -> tuple[int | None, ...]:
    """The current generations of ``page``, from ``found`` (one ``get_many`` with the page).

    A counter that is missing (never set, evicted, expired) starts afresh,
    before the page is rendered, so a bump during the render still retires it.
    One evicted again before it is read back is None, which no stored page
    carries: that page is rendered, never served stale.
    Raises ``CacheUnavailable`` when the cache cannot be reached.
    """
    missing = [key for key in page.generation_keys if found.get(key) is None]
    if missing:
        for key in missing:
            timeout = settings.PAGE_CACHE_SECONDS if key.startswith(PATH_PREFIX) else None
            guarded("page cache", cache.add, key, fresh_generation(), timeout=timeout)
        found = {**found, **guarded("page cache", cache.get_many, missing)}
    return tuple(found.get(key) for key in page.generation_keys)


def current_generation() -> int | None:
    """The site-wide generation (started if missing); raises ``CacheUnavailable``."""
    page = CachedPage(None, (GENERATION_KEY,))
    return generations(page, guarded("page cache", cache.get_many, [GENERATION_KEY]))[0]
