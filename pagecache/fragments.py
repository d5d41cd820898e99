"""Parts of pages kept under the same generations as the pages (``{% cachedfragment %}`` uses it)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .guard import CacheUnavailable, guarded
from .keys import FRAGMENT_PREFIX, GENERATION_KEY, CachedPage, cache, generations, path_key, scope_key


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
