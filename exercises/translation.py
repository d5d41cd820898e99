"""The exercise fields that have a Welsh version beside the English (django-modeltranslation).

Each field below gets ``<field>_en_gb`` and ``<field>_cy`` columns; reading
``exercise.title`` gives the active language's text, or the English one when
the Welsh is still empty (templates mark that with ``lang="en"``).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Exercise, Handout, Step


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Exercise)
class ExerciseTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "starting_position",
        "repetitions",
        "frequency",
        "duration",
        "cautions",
        "body",
        "body_html",
        "image_alt",
    )


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("text", "image_alt")


@register(Handout)
class HandoutTranslation(TranslationOptions):
    # The stored PDF and what the pages say about it: one build per language
    # (``exercises.handouts.build``), read by name through ``Handout.built``.
    fields = ("title", "intro", "closing_note", "pdf", "pdf_bytes", "pdf_pages", "pdf_etag", "pdf_built_at")
