"""Response headers Django has no setting for: Cross-Origin-Resource-Policy and Permissions-Policy.

The middleware sits just inside Django's SecurityMiddleware, outside WhiteNoise
and the page cache, so every response gets them: pages, static files served by
the app, pages replayed from the page cache, and the 404 and 500 pages (Django
turns an exception into a response inside each middleware, so this one sees
the error page). nginx adds the same Cross-Origin-Resource-Policy to the static
and media files it serves itself (deploy/nginx/backcare.conf).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Every security header a page carries, from Django's SecurityMiddleware and
# XFrameOptionsMiddleware, its CSP, and the middleware below: what a page replayed
# from the cache, or served through nginx, must keep.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": [], "screen-wake-lock": ["self"]}`` -> ``camera=(), screen-wake-lock=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    """Add ``CROSS_ORIGIN_RESOURCE_POLICY`` and ``PERMISSIONS_POLICY`` to every response that lacks them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.headers = {
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
            "Permissions-Policy": permissions_policy_header(settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for header, value in self.headers.items():
            if value:
                response.headers.setdefault(header, value)
        return response
