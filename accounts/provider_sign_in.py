"""Signing in through a provider (allauth's socialaccount): the two things allauth leaves to the site.

1. **The Content-Security-Policy.** With ``SOCIALACCOUNT_LOGIN_ON_GET`` off, allauth
   shows a page with a "Continue" button whose form POSTs to allauth, which answers
   with a redirect to the provider. Browsers apply the page's ``form-action`` to
   that redirect too, so with our ``form-action 'self'`` Chromium blocks the
   sign-in outright (the browser test ``tests/browser/test_oidc.py`` found it).
   That one page's policy also allows the origin of the provider's authorisation
   endpoint, read from the provider's discovery document; every other page keeps
   ``form-action 'self'``.
2. **A provider that is down.** allauth fetches the discovery document when the
   form is posted and lets the connection error through: a server error page.
   Instead the reader goes back to the page they came from (the comment form),
   told in their language that the provider did not answer and that they can
   comment without signing in. A failure later in the flow (the code exchange)
   goes through allauth's ``on_authentication_error`` (``accounts/sign_in.py``).

``ProviderSignInMiddleware`` does both around allauth's ``<provider>_login`` views,
for every provider (Google, Facebook and X have the same form and redirect).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers import registry
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from requests import RequestException

logger = logging.getLogger(__name__)


def authorisation_origin(request: HttpRequest, provider: Any) -> str | None:
    """``https://provider.example`` for the provider's authorisation endpoint; None when unknown."""
    try:
        url = provider.get_oauth2_adapter(request).authorize_url
    except (RequestException, ValueError, KeyError):
        return None
    parts = urlsplit(str(url))
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def allow_form_to(response: HttpResponseBase, origin: str) -> None:
    """This response's CSP: the site's, with ``origin`` added to ``form-action``."""
    policy: dict[str, Any] = dict(settings.SECURE_CSP)
    policy["form-action"] = [*policy.get("form-action", [CSP.SELF]), origin]
    # Django's CSP middleware reads a per-response policy from this attribute (django.views.decorators.csp).
    response._csp_config = policy  # type: ignore[attr-defined]


def provider_unreachable(
    request: HttpRequest, provider_name: str, *, next_url: str | None = None
) -> HttpResponse:
    """Back to where the reader came from, told what happened and that no account is needed.

    ``next_url``: where the sign-in was to end (allauth keeps it in its state on the way back
    from the provider); otherwise the request's ``next``; either only when it is on this site.
    """
    messages.error(
        request,
        _(
            "%(provider)s did not answer, so you are not signed in. Try again later. "
            "You can still comment without signing in."
        )
        % {"provider": provider_name},
    )
    if next_url is None or not get_account_adapter(request).is_safe_url(next_url):
        next_url = get_next_redirect_url(request)
    return HttpResponseRedirect(next_url or reverse("account_login"))


def provider_of(request: HttpRequest) -> Any | None:
    """The provider whose sign-in view this request is for (allauth's ``<provider>_login``), if any."""
    match = request.resolver_match
    if match is None or not match.url_name or not match.url_name.endswith("_login"):
        return None
    provider_id = match.kwargs.get("provider_id") or match.url_name.removesuffix("_login")
    if match.url_name.removesuffix("_login") not in {cls.id for cls in registry.get_class_list()}:
        return None
    try:
        return get_adapter(request).get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        return None  # allauth answers 404 itself


class ProviderSignInMiddleware:
    """Around allauth's provider sign-in views: the page's ``form-action``, and a provider that is down."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method == "GET" and response.status_code == 200:
            provider = provider_of(request)
            origin = authorisation_origin(request, provider) if provider is not None else None
            if origin is not None:
                allow_form_to(response, origin)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RequestException):
            return None
        provider = provider_of(request)
        if provider is None:
            return None
        logger.warning("Sign-in provider %s did not answer: %s", provider.id, exception)
        return provider_unreachable(request, provider.name)
