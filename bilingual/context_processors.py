from django.conf import settings
from django.http import HttpRequest

from .languages import alternates, canonical_url


def languages(request: HttpRequest) -> dict[str, object]:
    """This page in both languages (hreflang, the language link) and its canonical address."""
    pages = alternates(request)
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "language_alternates": pages,
        "other_language": next(page for page in pages if page.language != current),
        "x_default_url": pages[0].url,
        "canonical_url": canonical_url(request),
    }
