"""How a comment's plain text becomes HTML, and what in it counts as a link.

One definition of "a link" for both: whatever Django's ``urlize`` turns into
an anchor (``https://…``, ``www.…``, bare domains such as ``cheap-pills.com/buy``,
e-mail addresses) is shown as a link and counted by the hold rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import SafeString, mark_safe

LINK_TEXT_LIMIT = 60


class HonestUrlizer(Urlizer):
    """``urlize`` whose link text always shows the host the link really goes to.

    Django trims long link text from the end, so
    ``https://backcare.example.org-…@evil.example/x`` could read as our own
    site. Here the text is the real host (no user name, no password, no
    scheme), then as much of the path as fits.
    """

    def trim_url(self, x: str, *, limit: int | None) -> str:
        if "@" in x and "/" not in x and ":" not in x:
            return x  # an e-mail address: the domain is already the last thing shown
        parts = urlsplit(x if "://" in x else f"//{x}")
        try:
            host = parts.hostname or ""
            port = f":{parts.port}" if parts.port else ""
        except ValueError:
            host, port = "", ""
        if not host:
            return super().trim_url(x, limit=limit)
        rest = (
            parts.path
            + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else "")
        )
        text = f"{host}{port}{rest}".rstrip("/") or host
        if limit is None or len(text) <= limit:
            return text
        head = f"{host}{port}"
        room = max(0, limit - len(head) - 1)
        return f"{head}{rest[:room]}…"


urlizer = HonestUrlizer()


def to_html(text: str) -> SafeString:
    """Plain text as safe HTML: escaped, paragraphs and line breaks, links with rel="nofollow ugc"."""
    html = urlizer(text, trim_url_limit=LINK_TEXT_LIMIT, nofollow=True, autoescape=True)
    # urlize escaped everything the commenter typed, so a literal
    # rel="nofollow" here can only be one urlize wrote itself.
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308 - escaped above


def count_links(text: str) -> int:
    """How many links ``to_html`` would make of ``text``."""
    return urlizer(text, autoescape=True).count("<a href=")
