"""Building a PDF while a reader waits, without letting the public exhaust the web workers.

A WeasyPrint build costs 0.4–1.4 s of CPU in the web process. Anyone can ask
for a routine of their own choosing (``/routine/handout.pdf?e=…``: thousands
of different sets), and a published handout whose language was never built is
built on its first request. So every build asked for by a request goes
through ``build_once``, which:

- counts builds per visitor address, IPv6 by its /64
  (``akismet_service.visitors``): at most ``PER_ADDRESS`` a minute.
  The count lives in the shared cache, like the other limits; while the cache
  is down each process counts for itself (so the bound is that many per
  process, never "unlimited"). A PDF already built costs nothing and is not
  counted;
- lets at most ``AT_ONCE`` builds run at once in a process (a
  semaphore taken without waiting: a request beyond it is answered at once,
  never queued, so no worker hangs behind a build);
- builds one PDF once: a second request for the same PDF while it is being
  built is told to come back in a moment;
- remembers a failed build for ``RETRY_SECONDS``: it is not tried
  again on every request.

Each refusal is a ``Refused`` with the seconds after which to try again; the
views turn it into a page pointing to the printable page.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache

from akismet_service import visitors

# PDFs built while a reader waits: at most PER_ADDRESS builds per visitor address (IPv6: per /64)
# in WINDOW_SECONDS, AT_ONCE at once per process, and a failed build is not tried again for
# RETRY_SECONDS.
PER_ADDRESS = 3
WINDOW_SECONDS = 60
AT_ONCE = 1
RETRY_SECONDS = 600
# How long another request waits for a PDF someone is building (seconds); a build lasts a second or two.
BUILDING_SECONDS = 5
# While the cache is down: the addresses each process remembers (oldest forgotten first).
LOCAL_ADDRESSES = 10_000

Reason = Literal["limit", "busy", "failed"]


@dataclass(eq=False)  # an exception, compared by identity
class Refused(Exception):
    """The PDF is not built now: ``reason`` says why, ``retry_after`` when to ask again (seconds)."""

    reason: Reason
    retry_after: int


class LocalWindow:
    """A per-process count of events per key in the last ``WINDOW_SECONDS``: the fallback while the cache is down."""

    def __init__(self) -> None:
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, *, limit: int) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and events[0] <= now - WINDOW_SECONDS:
                events.popleft()
            allowed = len(events) < limit
            if allowed:
                events.append(now)
            self._events[key] = events
            while len(self._events) > LOCAL_ADDRESSES:
                self._events.popitem(last=False)
            return allowed

    def clear(self) -> None:
        with self._lock:
            self._events.clear()


class LocalFailures:
    """Failed builds this process remembers while the cache is down (key → when to try again)."""

    def __init__(self) -> None:
        self._until: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: str, *, seconds: int) -> None:
        with self._lock:
            self._until[key] = time.monotonic() + seconds
            while len(self._until) > LOCAL_ADDRESSES:
                self._until.popitem(last=False)

    def seconds_left(self, key: str) -> int:
        with self._lock:
            left = self._until.get(key, 0.0) - time.monotonic()
        return max(0, round(left))

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


local_window = LocalWindow()
local_failures = LocalFailures()
running = threading.BoundedSemaphore(AT_ONCE)


def reset() -> None:
    """Forget this process's counts, failures and running builds (tests)."""
    global running
    local_window.clear()
    local_failures.clear()
    running = threading.BoundedSemaphore(AT_ONCE)


def take_allowance(ip: str | None) -> bool:
    """Count one build for this address (IPv6: its /64); False past ``PER_ADDRESS`` a minute."""
    key = f"exercises:pdf-builds:{visitors.rate_key(ip) or 'unknown'}"
    limit = PER_ADDRESS
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            count = 1
    except ConnectionError:  # the cache is unavailable (pagecache/guard.py): this process counts
        return local_window.take(key, limit=limit)
    return count <= limit


def _failure_key(key: str) -> str:
    return f"exercises:pdf-failed:{key}"


def failed_recently(key: str) -> int:
    """Seconds before the PDF ``key`` may be built again after a failure; 0 when it may now."""
    try:
        until = cache.get(_failure_key(key))
    except ConnectionError:  # the cache is unavailable: what this process remembers
        return local_failures.seconds_left(key)
    return max(0, round(until - time.time())) if until else 0


def remember_failure(key: str) -> None:
    seconds = RETRY_SECONDS
    try:
        cache.set(_failure_key(key), time.time() + seconds, timeout=seconds)
    except ConnectionError:  # the cache is unavailable: this process remembers it
        local_failures.remember(key, seconds=seconds)


def _claim(key: str) -> bool:
    """Say "I am building ``key``" to every process; False when another already is."""
    try:
        return cache.add(f"exercises:pdf-building:{key}", 1, timeout=BUILDING_SECONDS * 12)
    except ConnectionError:
        return True  # no way to tell the others: the per-process cap still bounds it


def _release(key: str) -> None:
    with contextlib.suppress(ConnectionError):
        cache.delete(f"exercises:pdf-building:{key}")


def build_once[T](key: str, build: Callable[[], T], *, ip: str | None) -> T:
    """Run ``build`` for the PDF ``key`` on behalf of the visitor at ``ip``, or raise ``Refused``.

    A build that raises is remembered as failed (and the error raised again).
    """
    if seconds := failed_recently(key):
        raise Refused("failed", seconds)
    if not take_allowance(ip):
        raise Refused("limit", WINDOW_SECONDS)
    if not running.acquire(blocking=False):
        raise Refused("busy", BUILDING_SECONDS)
    try:
        if not _claim(key):
            raise Refused("busy", BUILDING_SECONDS)
        try:
            return build()
        except Exception:
            remember_failure(key)
            raise
        finally:
            _release(key)
    finally:
        running.release()
