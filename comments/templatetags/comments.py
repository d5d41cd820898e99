"""``{% load comments %}{% render_comments object %}``: an object's comments and the form."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString

from .. import targets, text, threads, tokens
from ..forms import CommentForm
from ..views import SESSION_KEY, initial_details

register = template.Library()


@register.filter(is_safe=True)
def comment_text(value: str) -> SafeString:
    """Plain text as safe HTML: escaped, paragraphs, links that show their real host (``comments/text.py``)."""
    return text.to_html(value)


@register.filter(is_safe=True)
def commenter_url(url: str) -> str:
    """Only http(s) addresses become links, whatever got into the database."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@register.inclusion_tag("comments/comments.html", takes_context=True)
def render_comments(context: template.Context, target) -> dict:
    request: HttpRequest = context["request"]
    own_ids = [pk for pk in request.session.get(SESSION_KEY, []) if isinstance(pk, int)]
    is_open = targets.comments_open(target)
    result = threads.build(
        target, page_number=request.GET.get("comments_page", 1), own_ids=own_ids, comments_open=is_open
    )
    if any(_has_own(node) for node in result.nodes):
        request.comments_personalised = True
    form = None
    if is_open:
        form = CommentForm(initial={"token": tokens.issue_form_token(target), **initial_details(request)})
    return {
        "request": request,
        "target": target,
        "threads": result,
        "page": result.page,
        "is_open": is_open,
        "form": form,
    }


def _has_own(node: threads.Node) -> bool:
    return node.own or any(_has_own(child) for child in node.children)


@register.simple_tag
def comments_retention() -> dict[str, int]:
    """How long each kind of comment data is kept, in days, for the privacy page: the real settings."""
    return {
        "ip_days": settings.COMMENTS_KEEP_IP_DAYS,
        "spam_days": settings.COMMENTS_KEEP_SPAM_DAYS,
        "discard_days": settings.COMMENTS_KEEP_DISCARD_DAYS,
        "trash_days": settings.COMMENTS_KEEP_TRASH_DAYS,
    }
