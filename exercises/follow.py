"""Follow along: an exercise (or a routine) as a sequence of cards, one step at a time.

Each exercise gives a "getting ready" card, one card per step, a counting card
when its dose is a number of repetitions ("about 20 steps"), and a rest card
before the next exercise. Without JavaScript the cards are simply the
numbered list; ``static/js/follow.js`` shows one at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Exercise
from .pictures import web_src

REST_SECONDS = 30


@dataclass(frozen=True)
class Card:
    kind: str  # "start", "step", "count" or "rest"
    exercise: Exercise
    heading: str
    text: str
    picture: str = ""
    alt: str = ""
    count: int | None = None
    rest_seconds: int | None = None


def repetitions_target(repetitions: str) -> int | None:
    """The number to count to: "about 20 steps" → 20, "3 to 5 times" → 5; None if there is no number."""
    numbers = [int(number) for number in re.findall(r"\d+", repetitions) if 0 < int(number) <= 200]
    return max(numbers) if numbers else None


def cards(exercises: Sequence[Exercise]) -> list[Card]:
    """The cards for ``exercises`` in order (their steps prefetched)."""
    result: list[Card] = []
    for index, exercise in enumerate(exercises):
        if index:
            result.append(
                Card(
                    "rest",
                    exercise,
                    _("Rest"),
                    _("Breathe easily for a moment. Next: %(title)s.") % {"title": exercise.title},
                    rest_seconds=REST_SECONDS,
                )
            )
        result.append(
            Card(
                "start",
                exercise,
                _("%(title)s: getting ready") % {"title": exercise.title},
                exercise.starting_position,
                web_src(exercise),
                exercise.image_alt,
            )
        )
        steps = list(exercise.steps.all())
        for number, step in enumerate(steps, 1):
            result.append(
                Card(
                    "step",
                    exercise,
                    _("%(title)s: step %(number)d of %(total)d")
                    % {"title": exercise.title, "number": number, "total": len(steps)},
                    step.text,
                    web_src(step),
                    step.image_alt,
                )
            )
        if target := repetitions_target(exercise.repetitions):
            result.append(
                Card(
                    "count",
                    exercise,
                    _("%(title)s: keep going, %(repetitions)s")
                    % {"title": exercise.title, "repetitions": exercise.repetitions},
                    _("Count each one as you go: %(repetitions)s, %(frequency)s.")
                    % {"repetitions": exercise.repetitions, "frequency": exercise.frequency},
                    count=target,
                )
            )
    return result
