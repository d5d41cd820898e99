"""Posting a comment, the reply page, and unsubscribing from reply e-mail."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akismet_service import visitors

from . import edits, flood, lifecycle, readers, rules, targets, tokens
from .forms import CommentEditForm, CommentForm
from .models import Comment, CommentEvent


def is_same_origin(request: HttpRequest) -> bool:
    """Our own cross-site check, standing in for Django's CSRF token.

    The comment form is on pages every anonymous reader must get byte for
    byte the same (so a shared cache can keep one copy), so it cannot carry
    a per-visitor CSRF token and the view is ``csrf_exempt``. Browsers tell
    us where a post comes from instead: Sec-Fetch-Site (all current
    browsers), else Origin (sent on every cross-site POST since 2020), else
    Referer. A post with none of the three comes from a script, not from a
    browser tricked by another site, and a script could forge any header; it
    still has to pass the signed form token, the honeypot, flood control and
    Akismet.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in own
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" in own
    return True


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "comments/comment_refused.html", status=403)


def _form_page(
    request: HttpRequest,
    form: CommentForm,
    *,
    target,
    parent: Comment | None = None,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
    heading: str = "",
    closed: str = "",
    urgent: bool = False,
) -> HttpResponse:
    """``urgent``: the text describes warning signs but was not saved, so the advice is on this page."""
    context = {
        "urgent": urgent,
        "closed": closed,
        "unpublished": not targets.is_public(target),
        "form": form,
        "target": target,
        "target_url": targets.url(target),
        "parent": parent,
        "errors": form.error_list() if errors is None else errors,
        "heading": heading
        or (_("Reply to %(name)s") % {"name": parent.name} if parent else _("Leave a comment")),
    }
    return render(request, "comments/comment_form_page.html", context, status=status)


def _fresh_form(request: HttpRequest, target, *, parent_id: object = None) -> CommentForm:
    """A new form keeping what the person typed, with a token of its own: this page is never
    cached, so pressing "Post comment" again at once is not "too fast"."""
    initial: dict[str, object] = {
        name: request.POST.get(name, "") for name in ("name", "email", "url", "text")
    }
    initial.update(
        subscribe=bool(request.POST.get("subscribe")),
        remember=bool(request.POST.get("remember")),
        parent=parent_id,
        token=tokens.issue_form_token(target, ready=True),
    )
    return CommentForm(initial=initial)


@csrf_exempt  # see is_same_origin()
@never_cache
@require_POST
def post_comment(request: HttpRequest) -> HttpResponse:
    if not is_same_origin(request):
        return _refused(request)
    form = CommentForm(request.POST)
    is_valid = form.is_valid()
    if form.target is not None and not targets.is_visible_to(form.target, request.user):
        raise Http404
    if not is_valid:
        if form.has_forged_token:
            return _refused(request)
        if form.has_expired_token:
            fresh = _fresh_form(request, form.target, parent_id=request.POST.get("parent") or None)
            return _form_page(
                request,
                fresh,
                target=form.target,
                parent=form.parent_comment,
                errors=[("", str(form.errors["token"][0]))],
            )
        if form.repeats_warning_signs and form.duplicate_of is not None:
            return _urgent_advice(form.duplicate_of)
        return _form_page(request, form, target=form.target, parent=form.parent_comment)
    ip = visitors.client_ip(request)
    if not flood.take_slot(ip=ip, email=form.cleaned_data["email"]):
        message = _(
            "You sent a comment just a moment ago. Please wait a few seconds, then press “Post comment” again: "
            "your text is still here."
        )
        fresh = _fresh_form(request, form.target, parent_id=form.cleaned_data["parent"])
        return _form_page(
            request,
            fresh,
            target=form.target,
            parent=form.parent_comment,
            errors=[("", message)],
            status=429,
            urgent=rules.warning_signs_doubt(form.cleaned_data["text"]) is not None,
        )

    try:
        comment = lifecycle.receive(
            form.build(
                ip=ip,
                user_agent=request.headers.get("User-Agent", ""),
                referrer=request.headers.get("Referer", ""),
                permalink=request.build_absolute_uri(targets.url(form.target)),
                language=translation.get_language(),
            ),
            # Nobody's account for a visitor who is not signed in (what receive() does with one).
            user=request.user if request.user.is_authenticated else None,
            doubt=form.doubt,
        )
    except DatabaseError:  # nothing saved (one transaction): backcare's retry page may send it again at once
        flood.release_slot(ip=ip, email=form.cleaned_data["email"])
        raise

    response = HttpResponseRedirect(comment.get_absolute_url())
    if comment.guard_reason == rules.WARNING_SIGNS:
        # Urgent advice comes first, before the page with the comment.
        response = _urgent_advice(comment)
    readers.remember_own_comment(request, response, comment.pk)
    readers.remember_details(request, response, form.cleaned_data)
    return response


def _urgent_advice(comment: Comment) -> HttpResponseRedirect:
    """The urgent-advice page in the language of this request, leading back to the comment."""
    return HttpResponseRedirect(
        reverse("safety:help_now") + "?" + urlencode({"next": comment.get_absolute_url()})
    )


@require_GET
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form for one comment, on a page of its own: works without JavaScript.

    A separate address (rather than ``?reply_to=`` on the article) keeps the
    article one cacheable page, and shows the comment being answered right
    above the form, which helps on a phone.
    """
    parent = get_object_or_404(Comment.objects.approved(), pk=pk)
    target = parent.target
    if target is None or not targets.is_visible_to(target, request.user):
        raise Http404
    form = CommentForm(
        initial={
            "token": tokens.issue_form_token(target),
            "parent": parent.pk,
            **readers.initial_details(request),
        }
    )
    closed = parent.reply_refusal(comments_open=targets.comments_open(target))
    return _form_page(request, form, target=target, parent=parent, errors=[], closed=closed)


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; only POST unsubscribes, so link scanners in mail programs change nothing."""
    comment_id = tokens.read_unsubscribe_token(token)
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    if comment is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        Comment.objects.filter(pk=comment.pk).update(subscribed=False)
        CommentEvent.objects.record(comment, CommentEvent.Kind.UNSUBSCRIBED)
        return render(request, "comments/unsubscribe.html", {"done": True, "target": comment.target})
    return render(request, "comments/unsubscribe.html", {"comment": comment, "target": comment.target})


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader changes their own comment's text, for a while after posting (``edits.refusal``).

    A private page (the own-comments cookie proves who may see it), so unlike
    the comment form it carries Django's CSRF token. A refusal or a mistake
    shows the text the person typed, so nothing they wrote is lost.
    """
    own = pk in readers.own_comment_ids(request)
    comment = Comment.objects.filter(pk=pk).first() if own else None
    typed = request.POST.get("text", "") if request.method == "POST" else ""
    if comment is None:
        return _edit_refused(request, edits.not_own_refusal(), typed=typed, comment=None)
    refusal = edits.refusal(comment, own=True, now=timezone.now())
    if not refusal and request.method == "POST" and edits.edits_used_up(comment):
        refusal = _("This comment has been edited as many times as we allow.")
    if refusal:
        return _edit_refused(request, refusal, typed=typed, comment=comment)
    readers.mark_personalised(request)
    form = CommentEditForm(request.POST if request.method == "POST" else None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if text != comment.text:
            doubt = rules.warning_signs_doubt(text)
            comment = lifecycle.edit(
                comment,
                text=text,
                doubt=doubt,
                user=request.user if request.user.is_authenticated else None,
            )
            if doubt is not None:
                return _urgent_advice(comment)
        return HttpResponseRedirect(comment.get_absolute_url())
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "comment": comment,
        "editable_until": edits.editable_until(comment),
        "target": comment.target,
        "target_url": comment.target_url,
    }
    return render(request, "comments/comment_edit.html", context, status=status)


def _edit_refused(request: HttpRequest, refusal: str, *, typed: str, comment: Comment | None) -> HttpResponse:
    context = {"refusal": refusal, "typed": typed, "target_url": comment.target_url if comment else ""}
    return render(request, "comments/comment_edit_refused.html", context, status=403)
