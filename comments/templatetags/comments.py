"""``{% load comments %}{% comment_thread object %}{% comment_form_block object %}``: an object's comments and the form."""

from __future__ import annotations

import threading
from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .. import edits, targets, text, threads, tokens
from ..forms import CommentForm
from ..readers import initial_details, mark_personalised, own_comment_ids

register = template.Library()


# Texts longer than this are converted on each render rather than kept.
REMEMBERED_TEXT_LENGTH = 4000


@register.filter(is_safe=True)
def comment_text(value: str) -> SafeString:
    """Plain text as safe HTML: escaped, paragraphs, links that show their real host (``comments/text.py``).

    Converted once per text and process: a comment's text is its own version,
    so an edit simply makes a new entry.
    """
    if len(value) > REMEMBERED_TEXT_LENGTH:
        return text.to_html(value)
    return _remembered_html(value)


@lru_cache(maxsize=2048)
def _remembered_html(value: str) -> SafeString:
    return text.to_html(value)


def comment_html(node: threads.Node) -> SafeString:
    """One comment's markup (the ``<li>`` left open for its replies), rendered once per version.

    The version is everything the markup shows: the public fields, whether the
    reader sees it as their own, removed or open to replies, and the language.
    """
    comment = node.comment
    if len(comment.text) > REMEMBERED_TEXT_LENGTH:
        return _render_comment(node)
    version = (
        comment.pk,
        comment.name,
        comment.url,
        comment.text,
        comment.language,
        comment.submitted_at,
        comment.edited_at,
        comment.badge,
        node.can_edit,
        node.awaiting_approval,
        node.is_removed,
        node.can_reply,
        get_language(),
    )
    html = _comment_html.get(version)
    if html is None:
        html = _render_comment(node)
        with _comment_html_lock:
            _comment_html[version] = html
            if len(_comment_html) > REMEMBERED_COMMENTS:
                del _comment_html[next(iter(_comment_html))]  # the oldest
    return html


REMEMBERED_COMMENTS = 2048
_comment_html: dict[tuple, SafeString] = {}
_comment_html_lock = threading.Lock()


def _render_comment(node: threads.Node) -> SafeString:
    return render_to_string("comments/comment_body.html", {"node": node, "comment": node.comment})


@lru_cache(maxsize=256)
def _shared_form_html(token: str, language: str | None, path: str) -> SafeString:
    """The empty comment form, the same for every anonymous reader of ``path`` in one token
    window (the token names the page and the window), so rendered once per window and process."""
    anonymous = HttpRequest()  # what the template reads of a request: the path, and nobody signed in
    anonymous.path = path
    anonymous.user = AnonymousUser()
    form = CommentForm(initial={"token": token})
    return render_to_string("comments/comment_form.html", {"form": form, "request": anonymous})


@register.filter(is_safe=True)
def commenter_url(url: str) -> str:
    """Only http(s) addresses become links, whatever got into the database."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def _comments_open(request: HttpRequest, target) -> bool:
    """Whether ``target`` takes comments: one query per page, shared by the thread and the form."""
    known = request.__dict__.setdefault("_comments_open", {})
    key = (type(target), target.pk)
    if key not in known:
        known[key] = targets.comments_open(target)
    return known[key]


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comment_thread(context: template.Context, target) -> dict:
    """The page's comments in their threads, with their pages: the same for every anonymous
    reader, so a page may keep it (``{% cachedfragment %}``); a reader's own waiting
    comment makes it theirs alone (``request.comments_personalised``)."""
    request: HttpRequest = context["request"]
    is_open = _comments_open(request, target)
    result = threads.build(
        target,
        page_number=request.GET.get("comments_page", 1),
        own_ids=own_comment_ids(request),
        comments_open=is_open,
    )
    if any(_has_own(node) for node in result.nodes):
        mark_personalised(request)
    rows = result.rows
    for row in rows:
        row.html = comment_html(row.node)
    return {"threads": result, "rows": rows, "page": result.page, "is_open": is_open}


@register.inclusion_tag("comments/form_block.html", takes_context=True)
def comment_form_block(context: template.Context, target) -> dict:
    """The comment form (or why comments are closed): rendered once per token window for
    anonymous readers, for each reader whose details it fills in."""
    request: HttpRequest = context["request"]
    is_open = _comments_open(request, target)
    form_html = ""
    if is_open:
        token = tokens.issue_form_token(target)
        if details := initial_details(request):  # a personal page (signed in, or saved details): theirs alone
            form = CommentForm(initial={"token": token, **details})
            form_html = render_to_string("comments/comment_form.html", {"form": form}, request=request)
        else:
            form_html = _shared_form_html(token, get_language(), request.path)
    return {"is_open": is_open, "form_html": form_html}


def _has_own(node: threads.Node) -> bool:
    return node.own or node.can_edit or any(_has_own(child) for child in node.children)


@register.simple_tag
def comments_retention() -> dict[str, int]:
    """How long each kind of comment data is kept, in days, and how long a comment can be edited,
    in minutes, for the privacy page: the real settings."""
    return {
        "ip_days": settings.COMMENTS_KEEP_IP_DAYS,
        "spam_days": settings.COMMENTS_KEEP_SPAM_DAYS,
        "discard_days": settings.COMMENTS_KEEP_DISCARD_DAYS,
        "trash_days": settings.COMMENTS_KEEP_TRASH_DAYS,
        "edit_minutes": edits.EDIT_MINUTES,
    }
