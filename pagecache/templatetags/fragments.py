"""``{% cachedfragment "name" "scope" … [vary=value] [path=value] %}…{% endcachedfragment %}``: a part of pages, rendered once.

Kept in the shared cache with the generations of the scopes it shows (the
same counters as the page cache, ``pagecache/fragments.py``), so it is fresh
exactly when the pages are: the upcoming-courses box is rendered once per
change of the classes, per language and per day, not once per page view.
``vary`` names a context value that tells versions apart (the course list's
filters); it must take few values, as every one is kept. ``path`` makes it
one page's own part (an exercise's comments), retired with that page.

A personal request (signed in, or a cookie that personalises pages) always
renders the fragment itself and stores nothing: what it sees may be its own.
"""

from __future__ import annotations

import hashlib

from django import template
from django.utils.safestring import SafeString

from ..fragments import cached_fragment
from ..invalidation import retired_scopes
from ..personal import is_personal

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(
        self,
        nodelist: template.NodeList,
        name: str,
        scopes: tuple[str, ...],
        vary: template.base.FilterExpression | None,
        path: template.base.FilterExpression | None = None,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.scopes = scopes
        self.vary = vary
        self.path = path

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None or is_personal(request):
            return self.nodelist.render(context)
        name = self.name
        if self.vary is not None:
            name += ":" + hashlib.sha256(str(self.vary.resolve(context)).encode()).hexdigest()[:32]
        path = str(self.path.resolve(context)) if self.path is not None else ""
        return cached_fragment(name, self.scopes, lambda: self.nodelist.render(context), path=path)


USAGE = 'usage: {% cachedfragment "name" "scope" … [vary=value] [path=value] %}'


@register.tag
def cachedfragment(parser: template.base.Parser, token: template.base.Token) -> CachedFragmentNode:
    bits = token.split_contents()[1:]
    options: dict[str, template.base.FilterExpression] = {}
    while bits and bits[-1].startswith(("vary=", "path=")):
        option, value = bits.pop().split("=", 1)
        if option in options:
            raise template.TemplateSyntaxError(USAGE)
        options[option] = parser.compile_filter(value)
    if not bits or any(bit[0] not in "\"'" or bit[-1] != bit[0] for bit in bits):
        raise template.TemplateSyntaxError(USAGE)
    name, *scopes = (bit[1:-1] for bit in bits)
    if unknown := sorted(set(scopes) - retired_scopes()):
        raise template.TemplateSyntaxError(
            f"cachedfragment {name!r}: no model retires the scope(s) {unknown} (see retire_on_change)"
        )
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, name, tuple(scopes), options.get("vary"), options.get("path"))
