"""Serve the service worker, the manifest of each language and the offline page."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from backcare.templatetags.sri import integrity
from pagecache.decorators import shared_page

WORKER_SOURCE = Path(__file__).resolve().parent / "worker.js"

# The static files a reader needs to see a kept page without a signal: our stylesheets and scripts
# and the exercise drawings. Not the admin's files, nor the PDF's stylesheet (WeasyPrint reads it).
PRECACHE = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "css/*.css",
    "js/*.js",
    "img/favicon.svg",
    "exercises/drawings/*.svg",
)
NOT_PRECACHED = ("css/admin.css", "css/handout-pdf.css")

# --bc-primary and --bc-paper in static/css/site.css (a test keeps them the same).
THEME_COLOUR = "#0b5d57"
BACKGROUND_COLOUR = "#fffdf8"
ICONS = (
    ("img/icons/backcare-192.png", 192, "any"),
    ("img/icons/backcare-512.png", 512, "any"),
    ("img/icons/backcare-maskable-512.png", 512, "maskable"),
)
# The manifest changes only with a release (its icons' hashed names): browsers may keep it an hour.
MANIFEST_MAX_AGE = 3600


def precached_names() -> list[str]:
    """The static files (their source names) the worker stores when it installs, sorted."""
    names: set[str] = set()
    for finder in finders.get_finders():
        for name, _storage in finder.list([]):
            name = name.replace("\\", "/")
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in PRECACHE) and name not in NOT_PRECACHED:
                names.add(name)
    return sorted(names)


def offline_pages() -> dict[str, str]:
    """The offline page's address in each language, keyed by the prefix test the worker makes."""
    pages = {}
    for language, key in (("en-gb", "en"), ("cy", "cy")):
        with translation.override(language):
            pages[key] = reverse("offline")
    return pages


@functools.cache
def worker_script() -> tuple[str, str]:
    """(the worker's JavaScript, its version): worked out once per process.

    The version is a hash of every precached address and file (their SRI
    digests), the offline pages, the worker's own code and the release, so
    any change to what a reader would see offline makes a new worker and a
    new cache. With the manifest storage the addresses are the hashed names.
    """
    names = precached_names()
    urls = [staticfiles_storage.url(name) for name in names]
    source = WORKER_SOURCE.read_text()
    digest = hashlib.blake2b(digest_size=8)
    for name, url in zip(names, urls, strict=True):
        digest.update(f"{url}\0{integrity(name)}\0".encode())
    pages = offline_pages()
    digest.update(json.dumps(pages, sort_keys=True).encode())
    digest.update(source.encode())
    digest.update(settings.BACKCARE_RELEASE.encode())
    version = digest.hexdigest()
    config = {"version": version, "precache": urls, "offline": pages}
    script = f"const OFFLINE = {json.dumps(config, separators=(',', ':'))};\n{source}"
    return script, version


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: revalidated on every check (``no-cache`` plus an ``ETag``), so a release arrives
    at the next visit; browsers also skip their HTTP cache for it (``updateViaCache`` defaults
    to ``imports``), nginx's micro-cache does not keep it (it is not ``public``)."""
    if settings.DEBUG:  # development: an edited file or worker.js is a new worker at once
        worker_script.cache_clear()
    script, version = worker_script()
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the address's language: its name, and "My routine" to open on
    (``#app``: static/js/offline.js opens the routine last opened in this browser)."""
    home = reverse("routine:page")
    data = {
        "id": home,
        "name": f"BackCare: {_('gentle help for sore backs')}",
        "short_name": "BackCare",
        "description": _(
            "Gentle exercises for a stiff or sore lower back, and yoga for backs classes in Aberystwyth."
        ),
        "lang": "cy" if translation.get_language() == "cy" else "en-GB",
        "dir": "ltr",
        "start_url": f"{home}#app",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    return response


@shared_page()
class OfflineView(TemplateView):
    """What the worker shows for a page it has not kept: the same for everyone, so it is cached."""

    template_name = "offline.html"
