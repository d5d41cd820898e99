from django import template

from akismet_service import health

register = template.Library()


@register.inclusion_tag("comments/admin/banner.html")
def akismet_banner() -> dict:
    """Warnings about the spam check, for the admin index (templates/admin/index.html)."""
    return {"akismet_warnings": health.warnings()}
