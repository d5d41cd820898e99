"""A cached page naming a scope that no model retires would only ever expire, never be retired by a change."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.checks import CheckMessage, Error
from django.urls import URLPattern, URLResolver, get_resolver

from .decorators import declared_page
from .invalidation import retired_scopes


def _views(patterns: list, prefix: str = "") -> Iterator[tuple[str, object]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def check_shared_page_scopes(**_kwargs: object) -> list[CheckMessage]:
    known = retired_scopes()
    errors = []
    for route, view in _views(get_resolver().url_patterns):
        page = declared_page(view)
        if page is not None and (unknown := sorted(set(page.scopes) - known)):
            errors.append(
                Error(
                    f"The shared page at {route!r} shows scope(s) {unknown} that no model retires.",
                    hint='Name the models that feed it in their app\'s ready(): retire_on_change(Model, scope="…").',
                    obj=view,
                    id="pagecache.E001",
                )
            )
    return errors
