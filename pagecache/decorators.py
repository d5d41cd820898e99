"""``@shared_page``: a view declares that anonymous readers share its page, and what it shows."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

ATTRIBUTE = "page_cache"


@dataclass(frozen=True)
class SharedPage:
    """What a cached view reads and shows.

    ``params``: the query parameters it reads, the only ones in its cache key
    (any other means "render, don't store"). ``scopes``: the content it shows,
    each retired by the models an app's ``ready()`` names with
    ``retire_on_change``. Every page also depends on its own path (a comment
    approved on it) and the site-wide generation.
    """

    params: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()


def shared_page[V: Callable[..., object]](
    *, params: Iterable[str] = (), scopes: Iterable[str] = ()
) -> Callable[[V], V]:
    """Cache this view's anonymous GETs in the shared cache (see the ``pagecache`` package).

    On a class (a class-based view, a ``Feed``) it marks that class only: a
    subclass is cached when it says so itself, as it may read other parameters
    or show other content. A function is wrapped, never changed, so a view of
    Django's own can be declared where its URL is. The view must set no
    cookie, CSRF token or session, or its response is not stored.
    """
    declared = SharedPage(params=tuple(params), scopes=tuple(scopes))

    def declare(view: V) -> V:
        if isinstance(view, type):
            setattr(view, ATTRIBUTE, declared)
            return view

        @functools.wraps(view)
        def shared(*args: object, **kwargs: object) -> object:
            return view(*args, **kwargs)

        setattr(shared, ATTRIBUTE, declared)
        return shared  # type: ignore[return-value]

    return declare


def declared_page(view: Callable) -> SharedPage | None:
    """What the view a URL resolved to declared with ``@shared_page``, or None.

    Read from the function itself, else from the class it was made from
    (``as_view()``'s ``view_class``, or a callable instance's class), that
    class's own declaration only.
    """
    for holder in (view, getattr(view, "view_class", None), type(view)):
        found = getattr(holder, "__dict__", {}).get(ATTRIBUTE)
        if isinstance(found, SharedPage):
            return found
    return None
