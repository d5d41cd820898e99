from django import template

from .. import health

register = template.Library()


@register.inclusion_tag("admin/health_banner.html", takes_context=True)
def health_banner(context: template.Context) -> dict:
    """The parts of /healthz an editor should know about (cache, task worker, comments waiting for a
    verdict), for the admin index; the spam check's own warnings come with the moderation summary.
    Teachers are not shown them: there is nothing they could do."""
    if not context["request"].user.has_perm("comments.change_comment"):
        return {"health_warnings": []}
    return {"health_warnings": health.check().warnings()}
