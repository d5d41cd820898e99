"""The PDF handouts: several exercises on A4, built from the same fields as the pages.

WeasyPrint lays out ``exercises/handout_pdf.html``; segno draws a QR code for
each exercise's short address. WeasyPrint may read only our own files (static
drawings, uploaded pictures) and ``data:`` URIs: never the network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from . import builds
from .models import Exercise, Handout
from .pictures import file_src, web_src

# The columns each language of a handout's PDF has (exercises/translation.py).
PDF_FIELDS = ["pdf", "pdf_bytes", "pdf_pages", "pdf_etag", "pdf_built_at"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandoutText:
    """What the editor writes around the exercises: the same for a handout or a routine."""

    title: str
    intro: str = ""
    closing_note: str = ""


def short_url(exercise: Exercise) -> str:
    """The exercise's short address, for the QR code and to type in."""
    return settings.SITE_URL + reverse("short", kwargs={"slug": exercise.slug})


def qr_data_uri(url: str) -> str:
    """A PNG QR code (so a PDF reader, a printer and a phone camera all see the same pixels)."""
    out = io.BytesIO()
    import segno  # imported when a handout is built: web workers that never build one stay small

    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def entries(exercises: Sequence[Exercise], *, src: Callable[[Any], str] = web_src) -> list[dict[str, Any]]:
    """What ``includes/handout_exercise.html`` shows for each exercise (steps prefetched)."""
    return [
        {
            "exercise": exercise,
            "picture": src(exercise),
            "steps": [(step, src(step)) for step in exercise.steps.all()],
            "short_url": short_url(exercise),
            "short_host": settings.SITE_URL.split("://", 1)[-1],
            "short_path": reverse("short", kwargs={"slug": exercise.slug}),
            "qr": qr_data_uri(short_url(exercise)),
        }
        for exercise in exercises
    ]


def render_pdf(text: HandoutText, exercises: Sequence[Exercise]) -> bytes:
    """The A4 PDF of ``exercises`` (with their steps prefetched), in the current language."""
    html = render_to_string(
        "exercises/handout_pdf.html",
        {
            "text": text,
            "entries": entries(exercises, src=file_src),
            "practice": settings.BACKCARE_PRACTICE,
            "website": settings.SITE_URL.split("://", 1)[-1],
            "page_label": _("Page"),
            "of_label": _("of"),
        },
    )
    stylesheet = finders.find("css/handout-pdf.css")
    import weasyprint  # tens of MB with Pango: only in the process that builds a PDF

    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"}, timeout=5)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


# Raise it when the PDF's layout changes, so no PDF built with the old one is served.
LAYOUT_VERSION = "2"


def routine_key(exercises: Sequence[Exercise], *, language: str) -> str:
    """A hash of what a routine's PDF shows (its ETag and cache key): the same key, the same PDF.

    The exercises in the routine's own order (the canonical, alphabetical one:
    ``routines.from_query``), each by its version (``updated_at``) and its
    steps' content (a step has no version of its own; prefetched, so no
    query), in ``language``, with the address its QR codes lead to and the
    practice's details in its footer.
    """
    practice = [str(value) for _name, value in sorted(settings.BACKCARE_PRACTICE.items())]
    digest = hashlib.sha256("\n".join((LAYOUT_VERSION, language, settings.SITE_URL, *practice)).encode())
    for exercise in exercises:
        digest.update(f"\x1e{exercise.pk}\x1f{exercise.slug}\x1f{exercise.updated_at.isoformat()}".encode())
        for step in exercise.steps.all():
            fields = (step.pk, step.position, step.text, step.image.name, step.drawing, step.image_alt)
            digest.update(("\x1d" + "\x1f".join(str(value) for value in fields)).encode())
    return digest.hexdigest()[:32]


def routine_pdf(exercises: Sequence[Exercise], *, key: str, text: HandoutText, ip: str | None) -> bytes:
    """A routine's PDF, kept in the shared cache under ``key`` (``routine_key``): the same routine is
    built once, whoever asks, and kept where every process finds it. A build goes through
    ``builds.build_once`` (raises ``builds.Refused``); a cache that is down only means building it again."""
    cache_key = f"routine-pdf:{key}"
    try:
        if (pdf := caches["pages"].get(cache_key)) is not None:
            return pdf
    except Exception:
        logger.warning("Cache unavailable for routine PDF %s", key, exc_info=True)
    pdf = builds.build_once(f"routine:{key}", lambda: render_pdf(text, exercises), ip=ip)
    try:
        caches["pages"].set(cache_key, pdf, timeout=settings.ROUTINE_PDF_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable for routine PDF %s", key, exc_info=True)
    return pdf


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


class HandoutBuildError(Exception):
    """One or more languages of a handout could not be built (the others were stored)."""


def languages() -> list[str]:
    """Every language a handout is built in: the site's, English first."""
    return [code for code, _name in settings.LANGUAGES]


def build(handout: Handout, *, only: Sequence[str] | None = None) -> Handout:
    """Render the handout's PDF in each language and store each with its size, page count and ETag.

    One stored PDF per handout per language, in its own columns (``pdf_en_gb``,
    ``pdf_cy``, …): each is rendered with its language active, so the exercises'
    and the handout's Welsh fields (English where a Welsh one is still empty)
    and the Welsh catalogue, whatever language is active where the build runs.
    A language that fails keeps its last good PDF; the others are still stored,
    and ``HandoutBuildError`` says which failed (also kept in ``build_error``).
    """
    exercises = [
        item.exercise for item in handout.items.select_related("exercise").prefetch_related("exercise__steps")
    ]
    stored: list[str] = []
    failures: list[str] = []
    for language in only or languages():
        try:
            with translation.override(language):
                pdf = render_pdf(HandoutText(handout.title, handout.intro, handout.closing_note), exercises)
        except Exception as error:
            logger.exception("Could not build the %s PDF of handout %s", language, handout.pk)
            failures.append(f"{language}: {type(error).__name__}: {error}")
            continue
        stored += _store(handout, language, pdf)
    handout.build_error = "; ".join(failures)[:300]
    handout.save(update_fields=[*stored, "build_error", "updated_at"])
    if failures:
        raise HandoutBuildError(handout.build_error)
    return handout


def _store(handout: Handout, language: str, pdf: bytes) -> list[str]:
    """Put ``pdf`` in ``language``'s columns of ``handout`` (unsaved); the names of those columns."""
    column = {name: build_localized_fieldname(name, language) for name in PDF_FIELDS}
    file = getattr(handout, column["pdf"])
    old_name = file.name
    suffix = "" if language == settings.LANGUAGE_CODE else f".{language}"
    # A name no one can guess (the slug comes from the title): the file is served only by
    # ``views.handout_pdf``, which answers 404 for a draft; nginx refuses /media/handouts/.
    file.save(f"{handout.slug}{suffix}.{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    if old_name and old_name != file.name:
        file.storage.delete(old_name)
    setattr(handout, column["pdf_bytes"], len(pdf))
    setattr(handout, column["pdf_pages"], page_count(pdf))
    setattr(handout, column["pdf_etag"], hashlib.sha256(pdf).hexdigest()[:32])
    setattr(handout, column["pdf_built_at"], timezone.now())
    return list(column.values())
