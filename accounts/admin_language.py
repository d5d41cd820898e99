"""Each login chooses English or Welsh for the admin; Django's own Welsh admin strings come with it.

The public site's language is its address (``bilingual.languages``); the
admin has one address in both languages, so there the login's own choice
decides. Only signed-in requests for admin pages read it, so public pages,
and the shared cache in front of them, never depend on who is signed in.

The choice is a row per login (``AdminLanguage``), so it survives signing out
and in again, on any device. Staff sign in on allauth's page (outside the
admin, so still in the address's language); the message that greets them in
the admin is written in their chosen language (``sign_in_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilingual.languages import HREFLANG, LANGUAGE_NAMES, WELSH

from .models import AdminLanguage


def offered(language: str | None) -> bool:
    return language in dict(settings.LANGUAGES)


def chosen_language(user: Any) -> str | None:
    """The login's admin language, if it chose one the site still offers."""
    if not user.is_authenticated:
        return None
    language = AdminLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return language if offered(language) else None


def is_admin_path(path: str) -> bool:
    return path.startswith(reverse("admin:index"))


def sign_in_language(request: HttpRequest, next_url: str | None) -> str | None:
    """The language to greet a login in after it signs in: its admin language, when it goes to the admin."""
    if not next_url or not is_admin_path(next_url) or not request.user.is_staff:
        return None
    return chosen_language(request.user)


def choose_admin_language(*, user: Any, language: str) -> AdminLanguage:
    """Record ``user``'s choice; it applies from their next admin page on."""
    choice, _created = AdminLanguage.objects.update_or_create(user=user, defaults={"language": language})
    return choice


class AdminLanguageMiddleware:
    """On admin pages, the signed-in login's chosen language. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The path first: public pages never load the login at all.
        if not is_admin_path(request.path_info):
            return self.get_response(request)
        language = chosen_language(request.user)
        if language is None:
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers["Content-Language"] = HREFLANG.get(language, language)
        return response


class AdminLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the admin pages"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Menus, buttons and messages. The site itself keeps both languages, whichever you choose."
        ),
        error_messages={
            "required": gettext_lazy("Choose “English” or “Cymraeg” (Welsh)."),
            "invalid_choice": gettext_lazy("Choose “English” or “Cymraeg” (Welsh)."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, as on the public site's language link.
        field = cast(forms.ChoiceField, self.fields["language"])
        field.choices = [(code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES]


def admin_language_view(request: HttpRequest) -> HttpResponse:
    """A small page with the two languages; a POST (with its CSRF token) saves the choice."""
    data = request.POST if request.method == "POST" else None
    form = AdminLanguageForm(data, initial={"language": translation.get_language()})
    if form.is_valid():
        language = form.cleaned_data["language"]
        choose_admin_language(user=request.user, language=language)
        with translation.override(language):
            done = _("The admin is now in Welsh.") if language == WELSH else _("The admin is now in English.")
        messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:index"))
    context = {**admin.site.each_context(request), "title": _("Language of the admin"), "form": form}
    return TemplateResponse(request, "admin/language.html", context)
