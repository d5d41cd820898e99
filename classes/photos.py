"""Teacher photos through the picture pipeline: the same checks and re-encoding as exercise pictures.

A teacher's login (a less-trusted staff role) uploads the photo, and it is public:
so it is decoded and saved anew as WebP (no EXIF, GPS or appended bytes), capped
at the largest width the teacher page needs, and named after its content, never
after the upload (``me.pdf`` can never be served as a PDF). The narrower copies
are for ``srcset``.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
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


def forget(name: str, *, storage: Storage) -> None:
    """Delete a replaced or removed photo and its copies: a teacher who removes a photo expects it off the web."""
    for stored in [name, *(picture_pipeline.width_name(name, width) for width in WIDTHS[:-1])]:
        if storage.exists(stored):
            storage.delete(stored)


def forget_after_commit(name: str, *, storage: Storage) -> None:
    """``forget`` once the change is committed: a save that rolls back keeps the photo its row names."""
    transaction.on_commit(partial(forget, name, storage=storage))


def srcset(photo: FieldFile, width: int) -> str:
    return picture_pipeline.srcset(photo, width, widths=WIDTHS)


class _WithPhoto(Protocol):
    """A Teacher, or the data migration's historical one (Teacher's module imports this one)."""

    photo: FieldFile

    def save(self, *, update_fields: list[str]) -> None: ...


def reencode_stored(teacher: _WithPhoto) -> str:
    """Put a photo saved before the pipeline through it; returns what was done.

    The original file is deleted either way: it carries the EXIF (and GPS) the
    pipeline exists to drop, and nginx would go on serving it at its old name.
    A file the pipeline refuses (not a picture, a polyglot, too large) is removed
    and the teacher uploads a photo again. A missing file is left alone.
    """
    photo = teacher.photo
    old_name = picture_pipeline.stored_name(photo)
    storage = photo.storage
    if not storage.exists(old_name):
        return "missing"
    with storage.open(old_name) as stored:
        try:
            cleaned = picture_pipeline.clean_upload(stored, largest=LARGEST, name_by_content=True)
        except ValidationError:
            cleaned = None
    if cleaned is None:
        photo.delete(save=False)
        teacher.save(update_fields=["photo", "photo_width", "photo_height"])
        return "removed"
    photo.save(picture_pipeline.stored_name(cleaned), cleaned, save=False)
    save_widths(photo)
    teacher.save(update_fields=["photo", "photo_width", "photo_height"])
    if old_name != photo.name and storage.exists(old_name):
        storage.delete(old_name)
    return "re-encoded"
