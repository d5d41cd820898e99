"""Our pages' security policies: Content-Security-Policy (sent by Django, from ``SECURE_CSP``), and
Cross-Origin-Resource-Policy and Permissions-Policy, which Django has no setting for.

The middleware sits just inside Django's SecurityMiddleware, outside WhiteNoise
and the page cache, so every response gets them: pages, static files served by
the app (Cross-Origin-Resource-Policy alone), pages replayed from the page cache, and the 404 and 500 pages (Django
turns an exception into a response inside each middleware, so this one sees
the error page). nginx adds the same Cross-Origin-Resource-Policy to the static
and media files it serves itself (deploy/nginx/backcare.conf).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.csp import CSP

# Django's SECURE_CSP (the settings take it from here).
CONTENT_SECURITY_POLICY = {
    # Nothing is allowed unless a directive below names it.
    "default-src": [CSP.NONE],
    # No inline scripts: a template that needs one asks for {{ csp_nonce }} (the admin's do);
    # pages that never touch it get a byte-identical header, so shared caches can keep them.
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws form-validation and select icons as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # The web app manifest of each language, and the service worker at /sw.js (backcare/offline/);
    # worker-src would fall back to script-src, but says it plainly, without the nonce.
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
}

# Only our own pages may load our pages, scripts, styles and pictures (nginx sends the same
# for /static/ and /media/).
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features the site never uses are off for it and anything it might
# embed. The screen wake lock stays allowed for our own pages: the planned
# follow-along mode keeps the screen on during an exercise.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "local-fonts": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    # Passkeys as a second factor for staff (allauth.mfa) ask for credentials on our own pages.
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": ["self"],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

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
    """Add ``CROSS_ORIGIN_RESOURCE_POLICY`` and ``PERMISSIONS_POLICY`` to every response that lacks them.

    Static files get the first alone, as nginx sends them: a permissions policy
    governs a document, never a stylesheet, a script or a drawing, and its 330
    bytes on each of a page's nine files were an eighth of a first visit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.static_prefix = urlsplit(settings.STATIC_URL or "/static/").path
        self.resource_headers = {"Cross-Origin-Resource-Policy": CROSS_ORIGIN_RESOURCE_POLICY}
        self.headers = {
            **self.resource_headers,
            "Permissions-Policy": permissions_policy_header(PERMISSIONS_POLICY),
        }

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        headers = self.resource_headers if request.path.startswith(self.static_prefix) else self.headers
        for header, value in headers.items():
            if value:
                response.headers.setdefault(header, value)
        return response
