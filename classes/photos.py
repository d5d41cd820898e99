"""Teacher photos through the picture pipeline: the same checks and re-encoding as exercise pictures.

A teacher's login (a less-trusted staff role) uploads the photo, and it is public:
so it is decoded and saved anew as WebP (no EXIF, GPS or appended bytes), capped
at the largest width the teacher page needs, and named after its content, never
after the upload (``me.pdf`` can never be served as a PDF). The narrower copies
are for ``srcset``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.fields.files import FieldFile

import picture_pipeline

# The teacher page shows the photo at most 16rem (256 CSS px) wide: 1×, 2× and 3× screens.
WIDTHS = (256, 512, 768)
LARGEST = WIDTHS[-1]


class PhotoField(picture_pipeline.PictureUploadField):
    """The admin's photo input: a new upload is checked and re-encoded as the form is cleaned."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(largest=LARGEST, name_by_content=True, **kwargs)


def save_widths(photo: FieldFile) -> list[str]:
    """The narrower copies beside a newly saved photo."""
    return picture_pipeline.save_widths(photo, widths=WIDTHS, storage=photo.storage)


def srcset(photo: FieldFile, width: int) -> str:
    return picture_pipeline.srcset(photo, width, widths=WIDTHS)
