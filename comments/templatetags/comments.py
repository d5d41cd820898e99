"""``{% load comments %}{% render_comments object %}``: an object's comments and the form."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from .. import targets, threads, tokens
from ..forms import CommentForm
from ..views import SESSION_KEY

register = template.Library()


@register.filter(is_safe=True)
def comment_text(text: str) -> SafeString:
    """Plain text as safe HTML: escaped, paragraphs and line breaks, links with rel="nofollow ugc"."""
    html = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize escaped everything the commenter typed, so a literal
    # rel="nofollow" here can only be one urlize wrote itself.
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308 - escaped above


@register.filter(is_safe=True)
def commenter_url(url: str) -> str:
    """Only http(s) addresses become links, whatever got into the database."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@register.inclusion_tag("comments/comments.html", takes_context=True)
def render_comments(context: template.Context, target) -> dict:
    request: HttpRequest = context["request"]
    own_ids = [pk for pk in request.session.get(SESSION_KEY, []) if isinstance(pk, int)]
    result = threads.build(target, page_number=request.GET.get("comments_page", 1), own_ids=own_ids)
    if any(_has_own(node) for node in result.nodes):
        request.comments_personalised = True
    is_open = targets.comments_open(target)
    form = None
    if is_open:
        initial = {"token": tokens.issue_form_token(target)}
        saved = tokens.read_author_cookie(request.COOKIES.get(settings.COMMENTS_AUTHOR_COOKIE))
        if saved:
            initial.update(saved, remember=True)
            request.comments_personalised = True
        form = CommentForm(initial=initial)
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
def comments_keep_ip_days() -> int:
    """How long IP addresses are kept, for the privacy page."""
    return settings.COMMENTS_KEEP_IP_DAYS
