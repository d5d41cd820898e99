"""Demo exercises, written for BackCare. Loaded by ``manage.py load_demo``.

The content is in the JSON files beside this one, so that a writer edits prose, not Python:

- ``categories.json``: each category in English and Welsh, in its order.
- ``exercises.json``: each exercise in English, how many days ago it was published, its line
  drawing (shipped in exercises/static/exercises/drawings/, drawn by bin/draw-exercises) and
  its steps' drawings by step number, each with a description of the position.
- ``exercises_cy.json``: the same exercises in Welsh, written for BackCare (not a word-for-word
  translation), by slug.
- ``drawing_alt_cy.json``: each drawing's description in Welsh, by its English one.
- ``handout.json``: the "Back care handout" in both languages and its exercises, in order.
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from .. import search
from ..models import Category, Exercise, Handout, HandoutItem, Step
from ..tasks import enqueue_build


def _read(name: str) -> Any:
    return json.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))


CATEGORIES: list[dict[str, Any]] = _read("categories.json")
EXERCISES: list[dict[str, Any]] = _read("exercises.json")
WELSH: dict[str, dict[str, Any]] = _read("exercises_cy.json")
DRAWING_ALT_CY: dict[str, str] = _read("drawing_alt_cy.json")
HANDOUT: dict[str, Any] = _read("handout.json")
WELSH_CATEGORIES = {row["slug"]: (row["name_cy"], row["description_cy"]) for row in CATEGORIES}
HANDOUT_CY = {key.removesuffix("_cy"): value for key, value in HANDOUT.items() if key.endswith("_cy")}
# What the exercises' own fields are (the rest of an exercises.json entry says how to load it).
NOT_FIELDS = {"slug", "category", "steps", "days_ago", "drawing", "step_drawings"}


@transaction.atomic
def load(*, author: User | None = None) -> list[Exercise]:
    """Create or refresh the demo categories and exercises, in English and Welsh; safe to run again."""
    with translation.override("en-gb"):
        return _load(author)


def _load(author: User | None) -> list[Exercise]:
    categories = {}
    for row in CATEGORIES:
        categories[row["slug"]], _ = Category.objects.update_or_create(
            slug=row["slug"], defaults={key: value for key, value in row.items() if key != "slug"}
        )
    exercises = []
    now = timezone.now()
    for data in EXERCISES:
        welsh = dict(WELSH[data["slug"]])
        welsh_steps = welsh.pop("steps")
        exercise, _ = Exercise.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "drawing": data["drawing"]["file"],
                "image_alt_en_gb": data["drawing"]["alt"],
                "image_alt_cy": DRAWING_ALT_CY[data["drawing"]["alt"]],
                **{key: value for key, value in data.items() if key not in NOT_FIELDS},
                **{f"{key}_cy": value for key, value in welsh.items()},
                "category": categories[data["category"]],
                "status": Exercise.Status.PUBLISHED,
                "published_at": now - timedelta(days=data["days_ago"]),
                "author": author,
            },
        )
        exercise.steps.all().delete()
        no_drawing = {"file": "", "alt": ""}
        Step.objects.bulk_create(
            [
                Step(
                    exercise=exercise,
                    position=n,
                    text=text,
                    text_cy=text_cy,
                    drawing=(drawing := data["step_drawings"].get(str(n), no_drawing))["file"],
                    image_alt_en_gb=drawing["alt"],
                    image_alt_cy=DRAWING_ALT_CY.get(drawing["alt"], ""),
                )
                for n, (text, text_cy) in enumerate(zip(data["steps"], welsh_steps, strict=True), 1)
            ]
        )
        search.refresh(exercise)  # the steps were bulk-created: no signal kept its search document
        exercises.append(exercise)
    load_handout()
    return exercises


def load_handout() -> Handout:
    """The demo "Back care handout" (as in the post the site grew from), with its PDF built."""
    handout, _ = Handout.objects.update_or_create(
        slug=HANDOUT["slug"],
        defaults={
            **{f"{key}_en_gb": HANDOUT[key] for key in ("title", "intro", "closing_note")},
            **{f"{key}_cy": value for key, value in HANDOUT_CY.items()},
            "is_published": True,
        },
    )
    handout.items.all().delete()
    HandoutItem.objects.bulk_create(
        [
            HandoutItem(handout=handout, exercise=Exercise.objects.get(slug=slug), position=n)
            for n, slug in enumerate(HANDOUT["exercises"], 1)
        ]
    )
    enqueue_build(handout.pk)
    return handout
