"""Using the shared cache without depending on it.

Redis can be stopped, restarted, full or slow; none of that may cost a page
or a person's words. ``ResilientRedisCache`` (the production cache backend)
turns a connection error, a timeout or an error answer from Redis into
``CacheUnavailable``, a subclass of Python's own ``ConnectionError``, so the
apps catch it without importing anything of ours (comments knows no other
app). Each caller does the degraded thing on purpose: the page cache renders
the page, flood control and the enquiry rate limit ask the database, the
generation bump is written down in the database for later.

Two stores (settings ``CACHES``): ``pages`` holds what may be lost (pages,
fragments, PDFs; a Redis that evicts), ``default`` holds what must be kept:
the counters of every rate limit, ours and the libraries' (allauth counts in
``django.core.cache.cache``, which is ``default``), in a Redis that never
evicts. ``RedisWithDatabaseFallback`` counts in the database while that Redis
is down or full, so an outage never lifts a limit.

Settings give the Redis client short socket timeouts (``REDIS_TIMEOUT``,
100 ms), so a hung Redis costs at most that. After a failure this process
stops trying for ``CACHE_RETRY_SECONDS`` (a circuit breaker): during an
outage requests go straight to the fallback instead of each waiting for a
timeout. Each feature's degradation is logged at most once a minute.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils import timezone
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0


def _cache_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a runtime dependency
        pass
    else:
        errors.append(RedisError)
    return tuple(errors)


CACHE_ERRORS = _cache_errors()


class CacheUnavailable(ConnectionError):
    """The shared cache could not be used just now; the caller falls back."""


@dataclass
class CacheGuard:
    """Per-process record of cache trouble: the circuit breaker, the log throttle, the health data."""

    failures: int = 0
    last_failure_at: datetime | None = None
    last_failure: str = ""
    _open_until: float = 0.0
    _logged_at: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def is_open(self) -> bool:
        """True while this process skips the cache after a failure."""
        return time.monotonic() < self._open_until

    def fail(self, feature: str, error: BaseException | str) -> None:
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            self.last_failure_at = timezone.now()
            self.last_failure = f"{feature}: {error}"[:300]
            self._open_until = now + settings.CACHE_RETRY_SECONDS
            logged = self._logged_at.get(feature)
            should_log = logged is None or now - logged >= LOG_EVERY_SECONDS
            if should_log:
                self._logged_at[feature] = now
        if should_log:
            logger.warning(
                "The shared cache is unavailable (%s); %s degrades instead of failing. "
                "Logged at most once a minute.",
                error,
                feature,
            )

    def call[**P, T](self, feature: str, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args, **kwargs)``, or ``CacheUnavailable`` if the cache fails or is being skipped."""
        if self.is_open():
            raise CacheUnavailable(f"{feature}: skipped after a recent cache failure")
        try:
            return call(*args, **kwargs)
        except CacheUnavailable:
            raise
        except CACHE_ERRORS as error:
            self.fail(feature, f"{type(error).__name__}: {error}")
            raise CacheUnavailable(f"{feature}: {error}") from error

    def reset(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self.failures = 0
            self.last_failure_at = None
            self.last_failure = ""
            self._open_until = 0.0
            self._logged_at.clear()


# The page cache's Redis (what /healthz reports and the page-cache reconciler watches)…
guard = CacheGuard()
# …and the counters' own: one Redis failing never sends the other's work to its fallback.
counters_guard = CacheGuard()


def guarded[**P, T](feature: str, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``call(*args, **kwargs)`` under the page cache's guard (``CacheGuard.call``)."""
    return guard.call(feature, call, *args, **kwargs)


class _GuardedClient:
    """Django's Redis client with every call going through a ``CacheGuard``."""

    def __init__(self, client: object, cache_guard: CacheGuard) -> None:
        self._client = client
        self._guard = cache_guard

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args: object, **kwargs: object) -> object:
            return self._guard.call("the shared cache", attribute, *args, **kwargs)

        return call


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, raising ``CacheUnavailable`` (a ``ConnectionError``) for any Redis fault,
    skipping Redis for ``CACHE_RETRY_SECONDS`` after one, and logging it once a minute."""

    cache_guard = guard

    # Set by RedisCache.__init__ (Django's private attributes, which its stubs leave out).
    _class: type[RedisCacheClient]
    _servers: list[str]
    _options: dict[str, Any]

    @cached_property
    def _cache(self) -> RedisCacheClient:
        # The wrapper answers every client method through __getattr__: typed as the client it stands for.
        return cast(
            RedisCacheClient, _GuardedClient(self._class(self._servers, **self._options), self.cache_guard)
        )


# Every BaseCache method that reaches the store; the rest (get_or_set, the async
# ones…) are built on these.
FALLING_BACK = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key",
    "incr", "decr", "set_many", "delete_many", "clear",
)  # fmt: skip


class RedisWithDatabaseFallback(ResilientRedisCache):
    """The counters' store: Redis while it answers, the cache alias named by ``FALLBACK``
    (a ``DatabaseCache``) while it is down, hung or full (``noeviction`` refuses writes).

    allauth counts its rate limits with bare ``cache.add/get/set`` calls, so a
    ``ConnectionError`` there would be a 500 on every sign-in, and a cache that
    answered "nothing counted" would lift the limit. Counted in the database
    instead, a limit holds through the outage. Counts made on one side are not
    seen on the other when Redis stops or comes back: at most one more window's
    worth of tries, never an unlimited number.
    """

    cache_guard = counters_guard

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.fallback_alias: str = params.get("FALLBACK", "counts")

    @property
    def fallback(self) -> BaseCache:
        return caches[self.fallback_alias]


def _falling_back(name: str) -> Callable[..., object]:
    def method(self: RedisWithDatabaseFallback, *args: object, **kwargs: object) -> object:
        try:
            return getattr(super(RedisWithDatabaseFallback, self), name)(*args, **kwargs)
        except CacheUnavailable:
            return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``{name}`` in Redis, or in the fallback store while Redis cannot be used."
    return method


for _name in FALLING_BACK:
    setattr(RedisWithDatabaseFallback, _name, _falling_back(_name))
