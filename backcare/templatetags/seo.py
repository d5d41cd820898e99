"""Tags for what search engines and link previews read: structured data and meta tags."""

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    """A schema.org data block.

    Browsers never execute ``application/ld+json`` and CSP's script-src does not
    govern it, so it carries no nonce: the page stays byte-identical for every
    visitor and a shared cache can keep it. ``<``, ``>`` and ``&`` are escaped
    so no text inside can close the element.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 - escaped above
