"""Sign-in wiring (django-allauth): one door for staff and for readers who want to sign in.

Staff reach the admin through allauth's login page (``backcare/urls.py`` wraps
the admin's login with ``secure_admin_login``), so every password try counts
against allauth's ``login_failed`` rate limits, per account *and* address and per
address (``ACCOUNT_RATE_LIMITS``), with the same answer whether or not the account
exists. A limit per account alone would let anyone who knows a staff username keep
that person out for good with five wrong passwords every quarter of an hour. Failed sign-ins are logged here with the login name and the address,
never the password. Editors can be made to add a second factor before the
admin lets them in (``BACKCARE_REQUIRE_MFA_FOR_EDITORS``).

The allauth settings (``backcare/settings.py``), and why:

- Staff sign in with their username, readers usually with their e-mail address
  (``ACCOUNT_LOGIN_METHODS``). A password is optional for readers: they can come back by
  e-mail code or a provider; staff always have one (the admin login needs it).
- Readers sign up with an e-mail address only (``ACCOUNT_SIGNUP_FIELDS``; allauth makes up
  their username): a username field would answer "already exists" for "editor" and tell
  anyone the staff logins to try.
- ``ACCOUNT_RATE_LIMITS``: failed password logins, at most 5 per account from one address
  (the "key" is the login typed plus the address, below) and 20 per address (IPv6: per /64)
  in 15 minutes; then every try from there, right or wrong, is refused until the window has
  passed. Counted in the counters' Redis (``CACHES["default"]``), in the database while that
  Redis is down or full.
- After signing out, the home page in the language of the page signed out from
  (``ACCOUNT_LOGOUT_REDIRECT_URL``, a URL name reversed in that language; Django's
  ``LOGOUT_REDIRECT_URL`` would also move the admin's logout).
- A provider's e-mail address never signs someone in to an existing (staff) account
  (``SOCIALACCOUNT_EMAIL_AUTHENTICATION``).
- Second factors for staff: authenticator apps (TOTP) with recovery codes, and passkeys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.utils import get_next_redirect_url
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from requests import RequestException

from akismet_service import visitors
from classes.permissions import is_editor

from .admin_language import sign_in_language
from .provider_sign_in import provider_unreachable

logger = logging.getLogger(__name__)

# Words people understand; the same whether the account exists or not.
ERROR_MESSAGES = {
    "too_many_login_attempts": _(
        "Too many failed sign-in attempts for this account from your network. Wait 15 minutes, "
        "then try again, or sign in now with a code sent to your e-mail address; if you have "
        "forgotten your password, ask the editor to reset it."
    ),
    "username_password_mismatch": _("The username or e-mail address, or the password, is not right."),
    "email_password_mismatch": _("The username or e-mail address, or the password, is not right."),
}


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class LoginForm(AllauthLoginForm):
    """allauth's login form with a label that says what to type (staff use their username)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail address")
        self.fields["login"].widget.attrs.update(autocomplete="username", placeholder="")
        if "password" in self.fields:
            self.fields["password"].widget.attrs["placeholder"] = ""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **ERROR_MESSAGES}

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Staff signing in on their way to the admin are greeted in the admin language they chose."""
        language = sign_in_language(request, get_next_redirect_url(request))
        with translation.override(language) if language else nullcontext():
            super().add_message(request, *args, **kwargs)

    def get_client_ip(self, request: HttpRequest) -> str:
        """Our rule for the visitor's address (trusted proxies), counted by its IPv6 /64."""
        return visitors.rate_key(visitors.client_ip(request)) or "unknown"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The ``key`` of the ``login_failed`` limit: the login typed *and* the address it came
        from, so wrong passwords from elsewhere never lock the right person out (allauth keys
        on the login alone and has no "per key and address" rate)."""
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{login}:{self.get_client_ip(request)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Readers who sign in through a provider get an ordinary, non-staff account."""

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if user.is_staff or user.is_superuser:  # never from a provider
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        return user

    def on_authentication_error(
        self, request: HttpRequest, provider: Any, error=None, exception=None, extra_context=None
    ) -> None:
        """A provider that stops answering half-way (the code exchange): back to the page the
        reader came from with the same message as when it is down from the start."""
        if isinstance(exception, RequestException):
            state = (extra_context or {}).get("state") or {}
            raise ImmediateHttpResponse(
                provider_unreachable(request, provider.name, next_url=state.get("next"))
            )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


@receiver(user_login_failed, dispatch_uid="accounts.sign_in.log_failed_login")
def log_failed_login(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """One log line per failed password: who was tried and from where. Django has already
    replaced the password in ``credentials``; we never log that key at all."""
    login = credentials.get("username") or credentials.get("email") or ""
    address = visitors.client_ip(request) if request is not None else None
    logger.warning("Failed sign-in for %r from %s", str(login)[:150], address or "an unknown address")


class SecondFactorForEditorsMiddleware:
    """With ``BACKCARE_REQUIRE_MFA_FOR_EDITORS``, an editor without a second factor who opens
    the admin is sent to add one first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not settings.BACKCARE_REQUIRE_MFA_FOR_EDITORS:
            return None
        match = request.resolver_match
        if match is None or match.namespace != "admin" or match.url_name in {"login", "logout"}:
            return None
        user = request.user
        if not is_editor(user) or has_second_factor(user):
            return None
        messages.warning(
            request,
            _(
                "Editors must sign in with a second factor. Add an authenticator app "
                "(or a passkey) to your account, then open the admin again."
            ),
        )
        return redirect("mfa_activate_totp")
