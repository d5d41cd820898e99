"""Every sign-in page the settings switch on, derived from the URLconf, and how a test reaches each.

Shared by tests/accounts/test_sign_in_pages.py (both languages, the site's skeleton, sentence case,
nothing left in English) and tests/browser/test_sign_in_pages.py (390 px, axe). A page allauth adds
in an upgrade, or one a setting switches on, appears in ``enabled_pages()`` and fails the test until
it is listed in ``PAGES`` (walked) or ``NOT_PAGES`` (with the reason it is not a page to look at).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

PASSWORD = "gentle-back-demo"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Visit:
    """Who looks at the page: nobody, a reader, staff, or staff with an authenticator app, or
    staff halfway through signing in (asked for their code)."""

    who: str = "anonymous"
    kwargs: dict[str, str] = field(default_factory=dict)
    status: int = 200


PAGES: dict[str, Visit] = {
    "account_login": Visit(),
    "account_signup": Visit(),
    "account_request_login_code": Visit(),
    "account_confirm_login_code": Visit("asked_for_a_code"),
    "account_reset_password": Visit(),
    "account_reset_password_done": Visit(),
    "account_reset_password_from_key": Visit("reset_link"),
    "account_reset_password_from_key_done": Visit(),
    "account_email_verification_sent": Visit(),
    "account_confirm_email": Visit(kwargs={"key": "no-such-key"}),
    "account_inactive": Visit(),
    "account_logout": Visit("reader"),
    "account_email": Visit("reader"),
    "account_change_password": Visit("staff"),
    "account_set_password": Visit("reader_without_password"),
    "account_reauthenticate": Visit("staff"),
    "mfa_index": Visit("staff"),
    "mfa_activate_totp": Visit("staff"),
    "mfa_list_webauthn": Visit("staff"),
    "mfa_add_webauthn": Visit("staff"),
    "mfa_deactivate_totp": Visit("staff_with_app"),
    "mfa_view_recovery_codes": Visit("staff_with_app"),
    "mfa_generate_recovery_codes": Visit("staff_with_app"),
    "mfa_reauthenticate": Visit("staff_with_app"),
    "mfa_authenticate": Visit("asked_for_app_code"),
    "socialaccount_connections": Visit("reader"),
    "socialaccount_login_cancelled": Visit(),
    "socialaccount_login_error": Visit(status=401),  # allauth answers a failed provider sign-in so
    "google_login": Visit("providers"),
    "facebook_login": Visit("providers"),
    "twitter_oauth2_login": Visit("providers"),
}

NOT_PAGES: dict[str, str] = {
    "mfa_download_recovery_codes": "a text file of the codes, not a page",
    "mfa_reauthenticate_webauthn": "the passkey step of reauthenticating, driven by the browser's passkey dialog",
    "mfa_remove_webauthn": "a confirmation for one stored passkey: needs a real passkey made by a browser",
    "mfa_edit_webauthn": "renaming one stored passkey: needs a real passkey made by a browser",
    "socialaccount_signup": "only during a provider sign-in that lacks an e-mail address (the OIDC browser test)",
    "google_callback": "where the provider sends the browser back: a redirect",
    "facebook_callback": "where the provider sends the browser back: a redirect",
    "twitter_oauth2_callback": "where the provider sends the browser back: a redirect",
    "google_login_by_token": "a POST from Google's own script, not a page",
    "facebook_login_by_token": "a POST from Facebook's own script, not a page",
    "openid_connect_login": "per configured provider; walked with a real provider by the OIDC browser test",
    "openid_connect_callback": "where the provider sends the browser back: a redirect",
}


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def enabled_pages() -> set[str]:
    """The name of every address allauth's URLconf gives, under /accounts/, with the settings as
    they are (a switched-off feature has no URL). Names-less routes are allauth's old-address
    redirects."""
    return {name for route, name in _walk(get_resolver().url_patterns) if "accounts/" in route and name}


def prepare(client, name: str) -> dict[str, str]:
    """Sign ``client`` in as page ``name`` needs (or set up what it shows); its URL arguments."""
    visit = PAGES[name]
    users = get_user_model()
    kwargs = dict(visit.kwargs)
    who = visit.who
    if who in ("staff", "staff_with_app", "asked_for_app_code"):
        staff = users.objects.create_superuser("ed", "ed@backcare.example.org", PASSWORD)
        if who != "staff":
            Authenticator.objects.create(
                user=staff, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
            )
            Authenticator.objects.create(
                user=staff, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "0" * 40, "used_mask": 0}
            )
        if who == "asked_for_app_code":
            client.post("/accounts/login/", {"login": "ed", "password": PASSWORD})
        else:
            client.force_login(staff)
    elif who in ("reader", "reader_without_password"):
        reader = users.objects.create_user("gwen", "gwen@example.org", PASSWORD if who == "reader" else None)
        client.force_login(reader)
    elif who == "asked_for_a_code":
        users.objects.create_user("gwen", "gwen@example.org", PASSWORD)
        client.post("/accounts/login/code/", {"email": "gwen@example.org"})
    elif who == "reset_link":
        reader = users.objects.create_user("gwen", "gwen@example.org", PASSWORD)
        kwargs = {"uidb36": user_pk_to_url_str(reader), "key": default_token_generator.make_token(reader)}
    elif who == "providers":
        for provider in ("google", "facebook", "twitter_oauth2"):
            SocialApp.objects.get_or_create(
                provider=provider, defaults={"name": provider.title(), "client_id": "id", "secret": "secret"}
            )
    return kwargs


def address(name: str, kwargs: dict[str, str], language: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)
