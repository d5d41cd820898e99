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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Exercise, Handout

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


def web_src(item) -> str:
    """The address a browser loads an exercise's or step's picture from, or ""."""
    if item.image:
        return item.image.url
    if item.drawing:
        return static(f"exercises/drawings/{item.drawing}")
    return ""


def file_src(item) -> str:
    """A file:// URI for an exercise's or step's picture, or "" when it has none."""
    if item.image:
        try:
            return "file://" + item.image.path
        except NotImplementedError:  # a storage without local paths
            return ""
    if item.drawing:
        found = finders.find(f"exercises/drawings/{item.drawing}")
        return f"file://{found}" if found else ""
    return ""


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


def routine_pdf(exercises: Sequence[Exercise], *, key: str, text: HandoutText) -> bytes:
    """A routine's PDF, kept in the shared cache under ``key`` (its ETag): the same routine is
    built once, whoever asks. A cache that is down only means building it again."""
    cache_key = f"routine-pdf:{key}"
    try:
        if (pdf := cache.get(cache_key)) is not None:
            return pdf
    except Exception:
        logger.warning("Cache unavailable for routine PDF %s", key, exc_info=True)
    pdf = render_pdf(text, exercises)
    try:
        cache.set(cache_key, pdf, timeout=settings.ROUTINE_PDF_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable for routine PDF %s", key, exc_info=True)
    return pdf


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def build(handout: Handout) -> Handout:
    """Render the handout's PDF and store it with its size, page count and ETag.

    One stored PDF per handout, in the site's language, whatever language is active
    where the build runs (an editor's Welsh admin, a Welsh page that built it on request).
    """
    exercises = [
        item.exercise for item in handout.items.select_related("exercise").prefetch_related("exercise__steps")
    ]
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(HandoutText(handout.title, handout.intro, handout.closing_note), exercises)
    old_name = handout.pdf.name
    handout.pdf.save(f"{handout.slug}.pdf", ContentFile(pdf), save=False)
    if old_name and old_name != handout.pdf.name:
        handout.pdf.storage.delete(old_name)
    handout.pdf_bytes = len(pdf)
    handout.pdf_pages = page_count(pdf)
    handout.pdf_etag = hashlib.sha256(pdf).hexdigest()[:32]
    handout.pdf_built_at = timezone.now()
    handout.build_error = ""
    handout.save(
        update_fields=[
            "pdf",
            "pdf_bytes",
            "pdf_pages",
            "pdf_etag",
            "pdf_built_at",
            "build_error",
            "updated_at",
        ]
    )
    return handout


def enqueue_rebuilds(exercise: Exercise) -> None:
    """After the exercise is saved, rebuild every handout it is in (a task, after commit)."""
    from .tasks import build_handout

    for handout_id in Handout.objects.containing(exercise).values_list("pk", flat=True):
        transaction.on_commit(lambda pk=handout_id: build_handout.enqueue(pk), robust=True)
