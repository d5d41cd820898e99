"""Demo comments for a fresh development site (``manage.py load_demo``). Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import targets
from .models import Comment, CommentEvent

DEMO_COMMENTS: list[dict[str, Any]] = [
    {
        "key": "sciatica",
        "name": "Gwen",
        "email": "gwen@example.org",
        "text": "Does knee walking help with sciatica too, or only with a stiff lower back?",
        "status": Comment.Status.APPROVED,
        "days_ago": 9,
    },
    {
        "key": "sciatica-answer",
        "parent": "sciatica",
        "name": "Lesley",
        "email": "lesley@example.org",
        "badge": Comment.Badge.TEACHER,
        "text": (
            "It can ease the stiffness that often comes with it, Gwen. Keep the movement tiny, and stop if "
            "the pain spreads down your leg: that is one to check with your doctor or physiotherapist first."
        ),
        "status": Comment.Status.APPROVED,
        "days_ago": 8,
    },
    {
        "key": "train",
        "name": "Tomos",
        "email": "tomos@example.org",
        "text": "Did this after a long train journey home from Cardiff. Five minutes and my back felt looser.",
        "status": Comment.Status.APPROVED,
        "days_ago": 5,
    },
    {
        "key": "carpet",
        "name": "Mair",
        "email": "mair@example.org",
        "text": "Is a carpet soft enough, or do I need a yoga mat?",
        "status": Comment.Status.PENDING,
        "held_reason": "first comment from this e-mail address",
        "days_ago": 1,
    },
    {
        "key": "spam",
        "name": "Best Cheap Pills",
        "email": "offers@example.org",
        "url": "https://example.org/cheap-pills",
        "text": "Great post!!! Visit https://example.org/cheap-pills and https://example.org/more for cheap pills.",
        "status": Comment.Status.SPAM,
        "spam_verdict": "spam",
        "days_ago": 1,
    },
]


@transaction.atomic
def load(target: models.Model) -> list[Comment]:
    """Add the demo comments to ``target``, or refresh them if they are there already."""
    content_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    by_key: dict[str, Comment] = {}
    for spec in DEMO_COMMENTS:
        parent = by_key.get(spec.get("parent", ""))
        comment, created = Comment.objects.update_or_create(
            content_type=content_type,
            object_id=str(target.pk),
            email=spec["email"],
            text=spec["text"],
            defaults={
                "parent": parent,
                "name": spec["name"],
                "badge": spec.get("badge", Comment.Badge.NONE),
                "url": spec.get("url", ""),
                "status": spec["status"],
                "held_reason": spec.get("held_reason", ""),
                # Every demo comment has been checked, so the sweep leaves them alone.
                "spam_verdict": spec.get("spam_verdict", "ham"),
                "checked_at": now - timedelta(days=spec["days_ago"]),
                "submitted_at": now - timedelta(days=spec["days_ago"]),
                "status_changed_at": now - timedelta(days=spec["days_ago"]),
                "ip": "192.0.2.1",
                "user_agent": "Mozilla/5.0 (demo)",
                "permalink": settings.SITE_URL + targets.url(target),
            },
        )
        if created:
            CommentEvent.objects.record(comment, CommentEvent.Kind.POSTED, demo=True)
        by_key[spec["key"]] = comment
    return list(by_key.values())
