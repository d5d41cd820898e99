from django import template

from .. import health

register = template.Library()


@register.inclusion_tag("admin/health_banner.html")
def health_banner() -> dict:
    """The parts of /healthz an editor should know about (cache, task worker, comments waiting for a
    verdict), for the admin index; the spam check's own warnings come from the comments banner."""
    return {"health_warnings": health.check().warnings()}
