from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from classes import alert_tokens, booking_tokens
from classes.privacy import BOOKING_KEEP_DAYS
from comments import tokens as comment_tokens
from comments.models import Comment
from exercises.models import Exercise
from pagecache.decorators import shared_page


@shared_page(scopes=["exercises", "classes"])
class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest = Exercise.objects.published().for_listing()[:4]
        return super().get_context_data(latest_exercises=latest, **kwargs)


@shared_page()
class PrivacyView(TemplateView):
    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            enquiry_keep_ip_days=settings.CLASSES_ENQUIRY_KEEP_IP_DAYS,
            enquiry_keep_days=settings.CLASSES_ENQUIRY_KEEP_DAYS,
            own_comments_cookie_days=comment_tokens.OWN_COOKIE_DAYS,
            alert_confirm_days=alert_tokens.CONFIRM_DAYS,
            booking_confirm_days=booking_tokens.CONFIRM_DAYS,
            booking_keep_days=BOOKING_KEEP_DAYS,
            **kwargs,
        )


@require_GET
def framework_floor(request: HttpRequest) -> HttpResponse:
    """The least a page can cost here: the middleware and a fixed answer, no template, no query.

    Routed only with ``BACKCARE_BENCH_FLOOR=1`` (bench/run's servers): the
    benchmark's yardstick for what Django itself costs on this machine.
    """
    return HttpResponse("<!doctype html><title>floor</title><p>floor</p>")


@shared_page()
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /cy/accounts/",
        "Disallow: /comments/",
        "Disallow: /cy/comments/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever broke may be in it.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


class BareCommentForm(forms.Form):
    """The comment fields as a bare Django form (``bare_page``)."""

    name = forms.CharField(max_length=245)
    email = forms.EmailField()
    url = forms.URLField(required=False)
    text = forms.CharField(widget=forms.Textarea)
    token = forms.CharField(widget=forms.HiddenInput)


@require_GET
def bare_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An exercise page with its comments as a bare Django view would render it: the yardstick
    for the rendered exercise page (bench/profile_budgets.py, the goal "≤ 1.2× a bare page").

    The same exercise, steps, 30 comments and comment fields in one plain template, with the
    same middleware, and none of the site's own work: no kept fragment, no crispy form, no
    per-comment memo. Routed only with ``BACKCARE_BENCH_FLOOR=1``, like the floor.
    """
    exercise = Exercise.objects.select_related("category").prefetch_related("steps").get(slug=slug)
    comments = Comment.objects.for_object(exercise).approved().order_by("submitted_at")
    context = {"exercise": exercise, "comments": comments, "form": BareCommentForm(initial={"token": "x"})}
    return render(request, "bench/bare_page.html", context)
