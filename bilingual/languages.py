"""English at ``/``, Welsh under ``/cy/``: the URL alone decides the language.

Django's ``LocaleMiddleware`` would also read ``Accept-Language`` and the
language cookie on pages outside ``i18n_patterns`` and say ``Vary:
Accept-Language`` on every English page, which splits a shared cache into one
copy per browser language. Here the path decides, nothing else: a Welsh
browser asking for ``/`` gets the English page (with a link to ``/cy/``), and a
cache keyed by URL (ours, nginx's) can never hand one language's page to a
reader of the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

WELSH = "cy"
ENGLISH = "en-gb"
# What hreflang says for each of our language codes (BCP 47 casing).
HREFLANG = {ENGLISH: "en-GB", WELSH: "cy"}
# The language link names the other language in that language.
LANGUAGE_NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}
# The prefix of each language's pages; English has none.
PREFIXES = {ENGLISH: "", WELSH: "/cy"}


def language_from_path(path: str) -> str:
    """The language a path is in: Welsh under /cy/, English everywhere else."""
    return WELSH if path == "/cy" or path.startswith("/cy/") else settings.LANGUAGE_CODE


def path_in(path: str, language: str) -> str:
    """The same page's path in ``language`` (slugs are the same in both languages)."""
    bare = path
    if language_from_path(path) == WELSH:
        bare = path.removeprefix("/cy") or "/"
    return PREFIXES[language] + on_site(bare)


# Browsers drop tabs and line breaks from a link and read a backslash as a slash,
# so "/\t/evil.example" is "//evil.example": another site, not a path on ours.
_LEADING_SLASHES = "/\\\t\n\r"


def on_site(path: str) -> str:
    """``path`` as a path on this site: a crafted address such as ``/cy//evil.example/x`` (or
    ``/cy/%2F/…``, ``/cy/\\evil.example``) must not give a language link that leaves the site, so
    any run of slashes, backslashes and line breaks at the start becomes one slash."""
    return "/" + path.lstrip(_LEADING_SLASHES)


class UrlLanguageMiddleware:
    """Activate the language the URL is in, for the request and its response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = language_from_path(request.path_info)
        request.LANGUAGE_CODE = language
        # Restored afterwards: the next thing this thread does (a task, a
        # test) must not write English text into the Welsh fields.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", HREFLANG[language])
        return response


@dataclass(frozen=True)
class Alternate:
    language: str
    hreflang: str
    name: str
    path: str
    url: str
    link: str  # the path with the query string kept: the same filters, the same page number


def alternates(request: HttpRequest) -> list[Alternate]:
    """This page in each language, English first: for hreflang links and the language link."""
    path = request.path
    query = request.META.get("QUERY_STRING", "")
    return [
        Alternate(
            language=code,
            hreflang=HREFLANG[code],
            name=LANGUAGE_NAMES[code],
            path=path_in(path, code),
            url=settings.SITE_URL + path_in(path, code),
            link=path_in(path, code) + (f"?{query_in(query, code)}" if query else ""),
        )
        for code, _name in settings.LANGUAGES
    ]


def query_in(query: str, language: str) -> str:
    """The query string for the same page in ``language``: a ``next`` address on this site (where
    a sign-in page returns to) moves to that language too; anything else is kept as it was."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name == "next" for name, _value in pairs):
        return query
    return urlencode(
        [
            (name, path_in(value, language) if name == "next" and is_local_path(value) else value)
            for name, value in pairs
        ],
        safe="/",
    )


def is_local_path(value: str) -> bool:
    return value.startswith("/") and not value.startswith(("//", "/\\"))


def canonical_url(request: HttpRequest) -> str:
    """This page's own address: its language's path, keeping only the page number."""
    url = settings.SITE_URL + path_in(request.path, language_from_path(request.path))
    if page := request.GET.get("page", ""):
        url += f"?page={page}" if page.isdigit() else ""
    return url


# --- Content in both languages (django-modeltranslation) ---------------------


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of ``model`` that have a Welsh version editors fill in (derived HTML left out)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    fields = options.fields  # type: ignore[attr-defined]  # modeltranslation sets it at run time
    return tuple(name for name in fields if model._meta.get_field(name).editable)


def _column(field: str, language: str) -> str:
    return build_localized_fieldname(field, language)


def english_text(obj: models.Model, field: str) -> str:
    """The English of a translated field (``<field>_en_gb``, a column modeltranslation adds at
    run time, so its stubs know no such attribute), "" when empty."""
    return getattr(obj, _column(field, ENGLISH)) or ""


def missing_welsh_q(model: type[models.Model]) -> Q:
    """Rows with English text in a field whose Welsh is still empty."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        english, welsh = _column(field, ENGLISH), _column(field, WELSH)
        condition |= Q(**{f"{english}__gt": ""}) & (Q(**{f"{welsh}__isnull": True}) | Q(**{welsh: ""}))
    return condition


def shows_english(obj: models.Model, field: str) -> bool:
    """True when this field is shown in English on a Welsh page, because its Welsh is empty."""
    if translation.get_language() != WELSH:
        return False
    return not getattr(obj, _column(field, WELSH), None) and bool(getattr(obj, _column(field, ENGLISH), None))


def missing_welsh(obj: models.Model) -> list[str]:
    """The fields of ``obj`` with English text and no Welsh yet, whatever the active language."""
    return [
        field
        for field in translated_fields(type(obj))
        if getattr(obj, _column(field, ENGLISH), None) and not getattr(obj, _column(field, WELSH), None)
    ]
