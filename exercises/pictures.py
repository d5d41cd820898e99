"""Pictures of the exercises: uploads through the picture pipeline, served as WebP in a few
widths, and the line drawings we ship ourselves.

The checking and re-encoding is ``picture_pipeline`` (shared with teacher photos):
nothing a person uploads is ever served as it came. Our own drawings are SVG files
in the repository (``exercises/static/exercises/drawings/``), reviewed like code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile

import picture_pipeline

# Served widths in CSS pixels; a picture narrower than one is served at its own width instead.
WIDTHS = (480, 960, 1440)
LARGEST = WIDTHS[-1]

DRAWINGS_DIR = Path(__file__).resolve().parent / "static" / "exercises" / "drawings"
DRAWING_WIDTH, DRAWING_HEIGHT = 640, 400


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
