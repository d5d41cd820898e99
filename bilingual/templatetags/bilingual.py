"""The page's language (``{% html_lang %}``), English text marked on Welsh pages where an
editor has not written the Welsh yet; ``highlight`` marks the words a search matched."""

from collections.abc import Iterable

from django import template
from django.db import models
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from bilingual import words
from bilingual.languages import ENGLISH, HREFLANG, WELSH, missing_welsh, shows_english

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The ``<html lang>`` of the page being rendered: Welsh under /cy/, English (en-GB) otherwise.

    Read from the active language, so it is right without a request too (the error pages,
    nginx's 429 page rendered at collectstatic, the handout PDF).
    """
    return HREFLANG[WELSH] if translation.get_language() == WELSH else HREFLANG[ENGLISH]


@register.filter
def fallback_lang(obj: models.Model, field: str) -> SafeString:
    """`` lang="en"`` for an element showing ``obj.field`` in English on a Welsh page; else nothing.

    Screen readers then read the English words with an English voice.
    """
    return mark_safe(' lang="en"') if shows_english(obj, field) else mark_safe("")


@register.inclusion_tag("bilingual/untranslated_note.html")
def untranslated_note(*objects: models.Model | Iterable[models.Model]) -> dict[str, bool]:
    """A short note in Welsh, on Welsh pages only, when some of the objects' text is still English.

    Takes objects or iterables of them (``exercise exercise.steps.all``).
    """
    if translation.get_language() != WELSH:
        return {"show": False}
    flat = [obj for item in objects for obj in (item if isinstance(item, Iterable) else [item])]
    return {"show": any(missing_welsh(obj) for obj in flat)}


@register.filter
def highlight(text: str, query_words: Iterable[str] | None) -> SafeString:
    """``text`` escaped, with the words matching the search's marked (``bilingual.words.highlight``)."""
    return mark_safe(words.highlight(str(text), query_words or []))  # noqa: S308 (escaped by highlight)
