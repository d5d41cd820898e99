"""Pictures of the exercises: uploads through the picture pipeline, served as WebP in a few
widths, and the line drawings we ship ourselves.

The checking and re-encoding is ``picture_pipeline`` (shared with teacher photos):
nothing a person uploads is ever served as it came. Our own drawings are SVG files
in the repository (``exercises/static/exercises/drawings/``), reviewed like code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.templatetags.static import static

import picture_pipeline

# Served widths in CSS pixels; a picture narrower than one is served at its own width instead.
WIDTHS = (480, 960, 1440)
LARGEST = WIDTHS[-1]

DRAWINGS_DIR = Path(__file__).resolve().parent / "static" / "exercises" / "drawings"
DRAWING_WIDTH, DRAWING_HEIGHT = 640, 400


def source(item: Any, *, sized: bool = False) -> FieldFile | str | None:
    """What an exercise's or step's picture is: its upload if it has one, else the static path
    of our drawing, else None. The one "upload or drawing" rule of the pages, follow-along
    cards and PDFs. ``sized``: an upload counts only once its width is known (an <img> on a
    page always has a width and height, so nothing shifts as it loads)."""
    if item.image and (item.image_width or not sized):
        return item.image
    if item.drawing:
        return f"exercises/drawings/{item.drawing}"
    return None


def web_src(item: Any) -> str:
    """The address a browser loads an exercise's or step's picture from, or ""."""
    picture = source(item)
    if isinstance(picture, str):
        return static(picture)
    return picture.url if picture else ""


def file_src(item: Any) -> str:
    """A file:// URI for an exercise's or step's picture (for WeasyPrint), or "" when it has none."""
    picture = source(item)
    if isinstance(picture, str):
        found = finders.find(picture)
        return f"file://{found}" if isinstance(found, str) else ""
    if picture:
        try:
            return "file://" + picture.path
        except NotImplementedError:  # a storage without local paths
            return ""
    return ""


def drawing_choices() -> list[tuple[str, str]]:
    """The line drawings shipped with the site, for the admin's "line drawing" menu."""
    return [(path.name, path.stem.replace("-", " ")) for path in sorted(DRAWINGS_DIR.glob("*.svg"))]


def clean_upload(upload: Any) -> ContentFile:
    """The upload checked and saved anew as WebP (named after the upload), or a ValidationError."""
    return picture_pipeline.clean_upload(upload, largest=LARGEST)


def width_name(name: str, width: int) -> str:
    return picture_pipeline.width_name(name, width)


def served_widths(image_width: int) -> list[int]:
    return picture_pipeline.served_widths(image_width, WIDTHS)


def save_widths(field_file: FieldFile, *, storage: Storage | None = None) -> list[str]:
    return picture_pipeline.save_widths(field_file, widths=WIDTHS, storage=storage)


def srcset(field_file: FieldFile, image_width: int) -> str:
    return picture_pipeline.srcset(field_file, image_width, widths=WIDTHS)
