"""Compressed pages when gunicorn serves the site alone, never a compressed secret.

Static files are WhiteNoise's (collected with gzip and Brotli copies); this is
for pages. Behind nginx the app compresses nothing: nginx asks it for plain
responses (``proxy_set_header Accept-Encoding ""`` in deploy/nginx/backcare.conf)
and compresses them itself, so nothing is compressed twice.

BREACH: a compressed response that carries a secret next to text an attacker
can put in the same response (a search term, a query string echoed in a link)
leaks the secret through the compressed length. So a page is compressed only
when it is one we would hand to anyone:

- the request is a GET or HEAD (never the answer to a form post, which echoes
  what was sent);
- the visitor carries no cookie that personalises pages (session, messages, a
  comment author's saved details; ``pagecache.personal``) and the response is
  not marked ``private`` or ``no-store``;
- no CSRF token was put into it. Django masks the token afresh in every
  response, which alone defeats BREACH for the token, but a form carrying it
  is also where a visitor's own input comes back, so such pages go plain.

The shared pages (every page in the page cache: exercises, courses, home)
thus go compressed, and this middleware sits above the page cache in
MIDDLEWARE so that ``pagecache.wsgi``'s hits are compressed too. Django's
GZipMiddleware does the work, with its "Heal the Breach" padding.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

from pagecache.personal import has_personal_cookie

# Text worth compressing; images, PDFs and fonts are compressed already or not ours to touch.
COMPRESSED_TYPES = (
    "text/html",
    "text/plain",
    "text/calendar",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/manifest+json",
)
PRIVATE_MARKS = ("private", "no-store")


def content_type(response: HttpResponseBase) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def may_compress(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether ``response`` is a page anyone may be sent, safe to compress (see the module)."""
    if request.method not in ("GET", "HEAD") or response.streaming:
        return False
    if content_type(response) not in COMPRESSED_TYPES:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(mark in cache_control for mark in PRIVATE_MARKS):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token was rendered into it
        return False
    return not has_personal_cookie(request)


class CompressPublicPagesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the responses ``may_compress`` allows."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code == 304:
            return self.not_modified(request, response)
        if may_compress(request, response):
            return super().process_response(request, response)
        if content_type(response) in COMPRESSED_TYPES:
            # Whether this address comes compressed depends on Accept-Encoding (and on
            # who asks): say so even when this answer is plain, so no cache in between
            # hands a compressed copy to a browser that cannot read it.
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def not_modified(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """A 304 names the page by the ETag the 200 had: weak (``W/``) when that 200 went compressed.

        Django's 304 keeps no Content-Type, so whether the page would be compressed is
        judged by who asks (the same rules, less the type)."""
        etag = response.get("ETag", "")
        compressed = (
            request.method in ("GET", "HEAD")
            and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            and not any(mark in response.get("Cache-Control", "").lower() for mark in PRIVATE_MARKS)
            and not has_personal_cookie(request)
        )
        if compressed and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        return response
