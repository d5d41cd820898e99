"""``<script>`` and stylesheet tags for our static files, with Subresource Integrity.

    {% load sri %}
    {% script "js/site.js" defer=True %}
    {% stylesheet "css/print.css" media="print" %}

The ``integrity`` hash is computed from the very file the address names, so a
changed file can never run under an old hash:

* in production the storage is the manifest storage: the address is the
  collected file's hashed name (``site.3f2a….js``), a name that changes with its
  content, and the hash is computed from that collected file. So a hash can be
  kept per name for the life of the process.
* in development (files served from the source folders, unhashed names) the
  file is read again on every render, so an edit shows at once.

We wrote this rather than take a package: it is a few lines over Django's own
storage, it hashes exactly the files collectstatic wrote (after the manifest
storage rewrote the addresses inside CSS), and it needs no extra settings.
"""

from __future__ import annotations

import base64
import hashlib

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def digest(content: bytes) -> str:
    """The ``integrity`` value for ``content``: SHA-384, as browsers check it."""
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


# (collected folder, hashed name) -> integrity value, for the life of the process.
_collected_digests: dict[tuple[str, str], str] = {}


def integrity(path: str) -> str:
    """The ``integrity`` value of the static file ``path`` as it is served now."""
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin):
        # The hashed name changes whenever the content does: keeping the hash by it is safe.
        name = storage.stored_name(path)
        key = (str(storage.location), name)
        if key not in _collected_digests:
            with storage.open(name) as collected:
                _collected_digests[key] = digest(collected.read())
        return _collected_digests[key]
    source = finders.find(path)
    if source is None:
        raise ValueError(f"The static file {path!r} does not exist.")
    with open(source, "rb") as file:
        return digest(file.read())


def _attributes(attributes: dict[str, object]) -> SafeString:
    """``defer=True`` -> `` defer``; ``media="print"`` -> `` media="print"``; False or None: left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attributes.items()
            if value not in (False, None)
        ),
    )


@register.simple_tag
def script(path: str, **attributes: object) -> SafeString:
    return format_html(
        '<script src="{}" integrity="{}"{}></script>',
        staticfiles_storage.url(path),
        integrity(path),
        _attributes(attributes),
    )


@register.simple_tag
def stylesheet(path: str, **attributes: object) -> SafeString:
    return format_html(
        '<link rel="stylesheet" href="{}" integrity="{}"{}>',
        staticfiles_storage.url(path),
        integrity(path),
        _attributes(attributes),
    )
