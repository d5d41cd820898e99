from django import template

from backcare import health

from .. import status

register = template.Library()


@register.inclusion_tag("comments/admin/banner.html")
def akismet_banner() -> dict:
    """Warnings for the admin index (templates/admin/index.html): the spam check, then the
    rest of /healthz (cache, task worker, comments waiting for a verdict)."""
    return {"akismet_warnings": [*status.warnings(), *health.check().warnings()]}
