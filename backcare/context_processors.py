from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name and public address, and which main section the page is in."""
    match = getattr(request, "resolver_match", None)
    section = (match.app_name or match.url_name or "") if match else ""
    return {"site_name": "BackCare", "site_url": settings.SITE_URL, "nav_section": section}
