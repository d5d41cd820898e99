"""What the comments app asks of the page a comment belongs to (its *target*).

Any model instance can take comments. Everything below is optional and read
by duck typing, so the comments app never imports the app that owns the page:

``get_absolute_url()``
    Where the page lives; comments link to it and redirect back to it.
``comments_published_at`` or else ``published_at``
    When the page was published: with ``COMMENTS_CLOSE_AFTER_DAYS`` set,
    comments close that many days later. Without either attribute a page
    never closes by age.
``comments_modified_at`` or else ``updated_at``
    When the page last changed, sent to Akismet as ``comment_post_modified_gmt``.
``is_public``
    Whether the public may see the page yet (a draft or a scheduled page may
    not): its comments, reply pages and posts then answer 404 to all but staff.
    Without it a page is public.
``comments_author_email``
    Who wrote the page, to be sent approved comments (``COMMENTS_NOTIFY_AUTHOR``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import CommentSettings


def _first_attribute(target: object, *names: str) -> object | None:
    for name in names:
        value = getattr(target, name, None)
        if value is not None:
            return value
    return None


def published_at(target: object) -> datetime | None:
    value = _first_attribute(target, "comments_published_at", "published_at")
    return value if isinstance(value, datetime) else None


def modified_at(target: object) -> datetime | None:
    value = _first_attribute(target, "comments_modified_at", "updated_at")
    return value if isinstance(value, datetime) else None


def author_email(target: object) -> str:
    value = getattr(target, "comments_author_email", "")
    return value if isinstance(value, str) else ""


def url(target: object) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def closed_by_age(target: object, *, now: datetime | None = None) -> bool:
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    published = published_at(target)
    if not days or published is None:
        return False
    return (now or timezone.now()) > published + timedelta(days=days)


def comments_open(target: models.Model, *, now: datetime | None = None) -> bool:
    """Whether readers may comment on ``target`` now (one query)."""
    if closed_by_age(target, now=now):
        return False
    content_type = ContentType.objects.get_for_model(target)
    return not CommentSettings.objects.filter(
        content_type=content_type, object_id=str(target.pk), closed=True
    ).exists()


def is_public(target: object) -> bool:
    """Whether the public may see the page (``is_public``, a property or method; pages without one are)."""
    value = getattr(target, "is_public", True)
    return bool(value() if callable(value) else value)


def is_visible_to(target: object, user: object) -> bool:
    """The public sees published pages only; signed-in staff also see drafts and scheduled pages."""
    if is_public(target):
        return True
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))
