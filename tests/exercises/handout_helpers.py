"""Reading a built handout's PDF, in one language or from bytes, and making its Welsh build fail."""

import io

from django.utils import translation
from pypdf import PdfReader

from exercises import handouts
from exercises.models import Handout


def pdf_of(handout: Handout) -> PdfReader:
    with handout.pdf.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_of_bytes(handout: Handout) -> bytes:
    with handout.pdf.open("rb") as stored:
        return stored.read()


def pdf_in(handout: Handout, language: str) -> PdfReader:
    with handout.built(language).file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(PdfReader(io.BytesIO(pdf))))


def fail_in_welsh(monkeypatch):
    real = handouts.render_pdf

    def render(*args):
        if translation.get_language() == "cy":
            raise OSError("no Welsh hyphenation")
        return real(*args)

    monkeypatch.setattr(handouts, "render_pdf", render)
