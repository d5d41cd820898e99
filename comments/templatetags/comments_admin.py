from django import template

from akismet_service import health

register = template.Library()


@register.inclusion_tag("comments/admin/banner.html")
def akismet_banner() -> dict:
    """Warnings about the spam check, for the admin index (templates/admin/index.html)."""
    return {"akismet_warnings": health.warnings()}


@register.inclusion_tag("comments/admin/moderation_summary.html", takes_context=True)
def moderation_summary(context: template.Context) -> dict:
    """For moderators, first on the admin start page: how many comments wait, and the spam check's health."""
    from ..models import Comment

    if not context["request"].user.has_perm("comments.change_comment"):
        return {"show": False}
    waiting = Comment.objects.moderation_queue().filter(status=Comment.Status.PENDING).count()
    return {"show": True, "waiting": waiting, "akismet_warnings": health.warnings()}
