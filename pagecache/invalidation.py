"""Retiring pages after a change commits, and catching up on changes made while the cache was down.

An app says in its ``ready()`` what retires its pages:

    retire_on_change(Category, Exercise, Step, scope="exercises")

and a model whose rows show on one page each (a comment on its exercise)
retires that page alone with ``retire_page_on_change``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from .guard import CacheUnavailable, guard, guarded
from .keys import GENERATION_KEY, cache, fresh_generation, path_key, scope_key
from .models import MissedPageInvalidation

logger = logging.getLogger(__name__)


def bump(keys: Iterable[str]) -> None:
    """Retire every page filed under these generations, on every app server.

    A counter that no longer exists retires nothing: a page can only match a
    counter that is there (see ``keys.generations``). If the cache cannot be
    told, that is written down for later (``Reconciler``). Never raises: a
    content change must not fail because of the cache.
    """
    try:
        for key in keys:
            with contextlib.suppress(ValueError):
                guarded("page cache invalidation", cache.incr, key)
    except CacheUnavailable:
        record_missed_invalidation()


def record_missed_invalidation() -> None:
    """Keep in the database that pages must be dropped once the cache is back (see ``Reconciler``)."""
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


# --- What retires which pages, said in each app's ready() ------------------------------


_retired_scopes: set[str] = set()


def retired_scopes() -> frozenset[str]:
    """Every scope some model retires: a page or fragment naming another would never be retired early."""
    return frozenset(_retired_scopes)


def retire_on_change(*models_: type[models.Model], scope: str) -> None:
    """Saving, deleting or re-linking (many-to-many) a row of these models retires the pages
    that declared ``scope`` (``@shared_page(scopes=...)``, ``{% cachedfragment %}``), after commit."""
    _retired_scopes.add(scope)
    for model in models_:
        uid = f"pagecache:{model._meta.label}:{scope}"
        changed = partial(_scope_changed, scope=scope)
        # weak=False: the partial lives only in the signal's list of receivers.
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )


def _scope_changed(*, scope: str, **_signal_kwargs: object) -> None:
    invalidate_after_commit(scopes=[scope])


def _always(_instance: models.Model) -> bool:
    return True


def retire_page_on_change[M: models.Model](
    model: type[M],
    *,
    page: Callable[[M], str],
    if_saved: Callable[[M], bool] = _always,
    if_deleted: Callable[[M], bool] = _always,
) -> None:
    """Saving or deleting a row of ``model`` retires the one page it shows on, in every language.

    ``page(row)`` is that page's path, asked after commit (it may cost a
    query); ``if_saved``/``if_deleted`` say whether a reader could see the
    difference (a held comment changes nothing they see).
    """

    def saved(instance: M, **_signal_kwargs: object) -> None:
        if if_saved(instance):
            _retire_page_after_commit(partial(page, instance))

    def deleted(instance: M, **_signal_kwargs: object) -> None:
        if if_deleted(instance):
            _retire_page_after_commit(partial(page, instance))

    uid = f"pagecache:{model._meta.label}:page"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:delete")


def _retire_page_after_commit(page: Callable[[], str]) -> None:
    def retire_it() -> None:  # the page's address costs a query: looked up after commit
        if path := page():  # in the language active now; ``path_key`` covers them all
            bump([path_key(path)])

    transaction.on_commit(retire_it)
