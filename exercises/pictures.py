"""Pictures of the exercises: uploads re-encoded by Pillow, served as WebP in a few widths,
and the line drawings we ship ourselves.

Nothing a person uploads is ever served as it came: the upload must be a JPEG,
PNG or WebP that Pillow can decode, within the pixel limit, with no markup
hidden in it; it is then decoded and saved anew as WebP, which drops
metadata (EXIF with GPS, camera serials, comments) and anything appended
to the file. SVG is refused: it is a document that can carry script, and we
have no sanitiser we trust. Our own drawings are SVG files in the repository
(``exercises/static/exercises/drawings/``), reviewed like code.
"""

from __future__ import annotations

import io
import re
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Served widths in CSS pixels; a picture narrower than one is served at its own width instead.
WIDTHS = (480, 960, 1440)
LARGEST = WIDTHS[-1]
WEBP_QUALITY = 82
# Markup that makes a file a polyglot: a browser or a careless server could read it as a page.
MARKUP = re.compile(rb"<\s*(script|svg|html|!doctype|\?php|iframe|object|body)|javascript:", re.IGNORECASE)

DRAWINGS_DIR = Path(__file__).resolve().parent / "static" / "exercises" / "drawings"
DRAWING_WIDTH, DRAWING_HEIGHT = 640, 400


def drawing_choices() -> list[tuple[str, str]]:
    """The line drawings shipped with the site, for the admin's "line drawing" menu."""
    return [(path.name, path.stem.replace("-", " ")) for path in sorted(DRAWINGS_DIR.glob("*.svg"))]


def clean_upload(upload) -> ContentFile:
    """The upload decoded and saved anew as WebP, or a ValidationError saying what is wrong."""
    upload.seek(0)
    data = upload.read()
    if data.lstrip()[:1] == b"<" or b"<svg" in data[:4096].lower():
        raise ValidationError(
            _("SVG drawings cannot be uploaded. Please upload a JPEG, PNG or WebP picture."), code="svg"
        )
    if MARKUP.search(data):
        raise ValidationError(
            _(
                "This file has web page code hidden in it, so it cannot be used. Please save the picture again "
                "from a photo or drawing program and upload that."
            ),
            code="polyglot",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ACCEPTED_FORMATS:
            raise ValidationError(
                _("Please upload a JPEG, PNG or WebP picture (this one is %(format)s).")
                % {"format": image_format},
                code="format",
            )
        if width * height > settings.EXERCISES_MAX_PICTURE_PIXELS:
            raise ValidationError(
                ngettext(
                    "This picture is too large (%(width)d × %(height)d pixels). Please make it smaller than "
                    "%(megapixels)d megapixel.",
                    "This picture is too large (%(width)d × %(height)d pixels). Please make it smaller than "
                    "%(megapixels)d megapixels.",
                    settings.EXERCISES_MAX_PICTURE_PIXELS // 1_000_000,
                )
                % {
                    "width": width,
                    "height": height,
                    "megapixels": settings.EXERCISES_MAX_PICTURE_PIXELS // 1_000_000,
                },
                code="pixels",
            )
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
            image.thumbnail((LARGEST, LARGEST * 2))
            out = io.BytesIO()
            image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not a picture we can read. Please upload a JPEG, PNG or WebP picture."),
            code="invalid",
        ) from error
    stem = PurePosixPath(getattr(upload, "name", "") or "picture").stem[:60] or "picture"
    return ContentFile(out.getvalue(), name=f"{stem}.webp")


def width_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w.webp"))


def served_widths(image_width: int) -> list[int]:
    """The widths a picture is served in: each of WIDTHS it is wider than, and its own."""
    return [width for width in WIDTHS if width < image_width] + [min(image_width, LARGEST)]


def save_widths(field_file: FieldFile, *, storage: Storage | None = None) -> list[str]:
    """Save the narrower copies of a (re-encoded) picture beside it; returns their names."""
    storage = storage or default_storage
    names = []
    with storage.open(field_file.name) as source, Image.open(source) as image:
        image.load()
        for width in served_widths(image.width)[:-1]:
            copy = image.copy()
            copy.thumbnail((width, width * 4))
            out = io.BytesIO()
            copy.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
            name = width_name(field_file.name, width)
            if storage.exists(name):
                storage.delete(name)
            names.append(storage.save(name, ContentFile(out.getvalue())))
    return names


def srcset(field_file: FieldFile, image_width: int) -> str:
    """``srcset`` for a picture saved by ``save_widths``: the copies, then the picture itself."""
    widths = served_widths(image_width)
    entries = [
        f"{field_file.storage.url(width_name(field_file.name, width))} {width}w" for width in widths[:-1]
    ]
    return ", ".join([*entries, f"{field_file.url} {widths[-1]}w"])
