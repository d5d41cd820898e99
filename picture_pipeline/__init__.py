"""The picture pipeline: every picture a person uploads is checked and re-encoded before it is kept.

A package of its own, not part of ``exercises``: exercise pictures and teacher
photos both go through it, and ``classes`` may not import ``exercises``. It
imports no app of ours.

Nothing a person uploads is ever served as it came: the upload must be a JPEG,
PNG or WebP that Pillow can decode, within the byte and pixel limits, with no
markup hidden in it; it is then decoded and saved anew as WebP, which drops
metadata (EXIF with GPS, camera serials, comments) and anything appended to
the file. The stored name always ends in ``.webp``, whatever the upload was
called. SVG is refused: it is a document that can carry script, and we have
no sanitiser we trust.

Each caller chooses its widths: the largest caps the stored picture, and
``save_widths`` keeps the narrower copies beside it for ``srcset``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 82
# The same limit as nginx's client_max_body_size, so it also holds behind gunicorn alone
# or the development server; checked before a byte of the file is decoded.
MAX_BYTES = 10 * 1024 * 1024
# Markup that makes a file a polyglot: a browser or a careless server could read it as a page.
MARKUP = re.compile(rb"<\s*(script|svg|html|!doctype|\?php|iframe|object|body)|javascript:", re.IGNORECASE)


def max_pixels() -> int:
    """Width × height above which an upload is refused before it is decoded (a setting, see README)."""
    return settings.EXERCISES_MAX_PICTURE_PIXELS


def read_capped(upload: Any) -> bytes:
    """The upload's bytes, refused before reading if it is larger than MAX_BYTES."""
    size = getattr(upload, "size", None)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1) if size is None or size <= MAX_BYTES else b""
    if (size is not None and size > MAX_BYTES) or len(data) > MAX_BYTES:
        raise ValidationError(
            _(
                "This file is too big (%(size)s). The largest picture we take is %(limit)s: please save "
                "it smaller and upload it again."
            )
            % {"size": filesizeformat(size or len(data)), "limit": filesizeformat(MAX_BYTES)},
            code="bytes",
        )
    return data


def refuse_markup(data: bytes) -> None:
    """SVG and polyglots (a picture with a web page hidden in it) never reach Pillow."""
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


def check_header(data: bytes) -> None:
    """The format and size from the file's header alone: nothing is decoded yet."""
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
    if width * height > max_pixels():
        raise ValidationError(
            ngettext(
                "This picture is too large (%(width)d × %(height)d pixels). Please make it smaller than "
                "%(megapixels)d megapixel.",
                "This picture is too large (%(width)d × %(height)d pixels). Please make it smaller than "
                "%(megapixels)d megapixels.",
                max_pixels() // 1_000_000,
            )
            % {"width": width, "height": height, "megapixels": max_pixels() // 1_000_000},
            code="pixels",
        )


def reencode(data: bytes, *, largest: int) -> bytes:
    """The picture decoded, turned upright, shrunk to ``largest`` wide at most and saved anew as WebP."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
        image.thumbnail((largest, largest * 2))
        out = io.BytesIO()
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def clean_upload(upload: Any, *, largest: int, name_by_content: bool = False) -> ContentFile:
    """The upload checked and saved anew as WebP, or a ValidationError saying what is wrong.

    The name is the upload's own stem with ``.webp``, or with ``name_by_content`` a name
    made from the picture itself, so nothing of what the uploader called it is kept.
    """
    data = read_capped(upload)
    refuse_markup(data)
    try:
        check_header(data)
        webp = reencode(data, largest=largest)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not a picture we can read. Please upload a JPEG, PNG or WebP picture."),
            code="invalid",
        ) from error
    if name_by_content:
        stem = hashlib.sha256(webp).hexdigest()[:20]
    else:
        stem = PurePosixPath(getattr(upload, "name", "") or "picture").stem[:60] or "picture"
    return ContentFile(webp, name=f"{stem}.webp")


def width_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w.webp"))


def served_widths(image_width: int, widths: Sequence[int]) -> list[int]:
    """The widths a picture is served in: each of ``widths`` it is wider than, and its own."""
    return [width for width in widths if width < image_width] + [min(image_width, widths[-1])]


def stored_name(file: File) -> str:
    """A kept picture's name. Django types ``name`` as optional (an empty field has none); no caller passes one."""
    if not file.name:
        raise ValueError("This file field holds no picture.")
    return file.name


def save_widths(field_file: FieldFile, *, widths: Sequence[int], storage: Storage | None = None) -> list[str]:
    """Save the narrower copies of a (re-encoded) picture beside it; returns their names."""
    storage = storage or default_storage
    names = []
    with storage.open(stored_name(field_file)) as source, Image.open(source) as image:
        image.load()
        for width in served_widths(image.width, widths)[:-1]:
            copy = image.copy()
            copy.thumbnail((width, width * 4))
            out = io.BytesIO()
            copy.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
            name = width_name(stored_name(field_file), width)
            if storage.exists(name):
                storage.delete(name)
            names.append(storage.save(name, ContentFile(out.getvalue())))
    return names


def srcset(field_file: FieldFile, image_width: int, *, widths: Sequence[int]) -> str:
    """``srcset`` for a picture saved by ``save_widths``: the copies, then the picture itself."""
    served = served_widths(image_width, widths)
    entries = [
        f"{field_file.storage.url(width_name(stored_name(field_file), width))} {width}w"
        for width in served[:-1]
    ]
    return ", ".join([*entries, f"{field_file.url} {served[-1]}w"])


class PictureUploadField(forms.FileField):
    """A file input whose new upload is checked and re-encoded (``clean_upload``) as it is cleaned.

    A plain file field underneath: Django's image field would refuse an SVG with its own
    vaguer message first, and decode the whole picture before our pixel limit is checked.
    """

    def __init__(self, *, largest: int, name_by_content: bool = True, **kwargs: Any) -> None:
        self.largest = largest
        self.name_by_content = name_by_content
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> ContentFile | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return clean_upload(upload, largest=self.largest, name_by_content=self.name_by_content)


def require_alt_text(picture: object, alt: str, field: str) -> None:
    """A picture without a description is invisible to screen-reader users: say so on ``field``.

    One rule for every model with a picture (exercises, steps, teachers' photos).
    """
    if picture and not (alt or "").strip():
        raise ValidationError({field: _("Describe the picture for people who cannot see it.")})
