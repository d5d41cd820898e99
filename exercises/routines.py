"""A reader's routine: a few exercises, kept only in the address (``/routine/?e=a,b,c``).

No account and nothing stored: the address is the routine, so it can be
bookmarked, shared and cached. Its canonical form lists each exercise once,
by slug, in alphabetical order, so the same routine always has the same
address (one cached page, one PDF). Anything else in ``e`` is explained
on the page, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Exercise

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Longer than any honest routine (12 slugs of 120 characters and commas).
MAX_QUERY_LENGTH = 1500
# A routine holds at most this many exercises.
MAX_EXERCISES = 12


@dataclass
class Routine:
    exercises: list[Exercise]
    problems: list[str] = field(default_factory=list)

    @property
    def slugs(self) -> list[str]:
        return [exercise.slug for exercise in self.exercises]

    @property
    def query(self) -> str:
        return urlencode({"e": ",".join(self.slugs)}, safe=",") if self.exercises else ""

    def url(self, name: str = "routine:page") -> str:
        return reverse(name) + (f"?{self.query}" if self.query else "")

    def with_exercise(self, slug: str) -> str:
        """The address of this routine with one more exercise."""
        slugs = sorted({*self.slugs, slug})
        return reverse("routine:page") + "?" + urlencode({"e": ",".join(slugs)}, safe=",")

    def without_exercise(self, slug: str) -> str:
        slugs = [other for other in self.slugs if other != slug]
        return reverse("routine:page") + ("?" + urlencode({"e": ",".join(slugs)}, safe=",") if slugs else "")

    def is_canonical(self, query: QueryDict) -> bool:
        """Whether the request asked for this routine exactly as its canonical address does."""
        wanted = [",".join(self.slugs)] if self.exercises else []
        return query.getlist("e") == wanted and set(query) <= {"e"}

    @property
    def is_full(self) -> bool:
        return len(self.exercises) >= MAX_EXERCISES


def requested_slugs(values: list[str]) -> tuple[list[str], list[str]]:
    """The slugs asked for, in order and each once, and what was wrong with the rest."""
    problems = []
    raw = ",".join(values)
    if len(raw) > MAX_QUERY_LENGTH:
        raw = raw[:MAX_QUERY_LENGTH]
        problems.append(_("The routine’s address was too long, so only its beginning was read."))
    slugs: list[str] = []
    malformed = False
    for part in raw.split(","):
        slug = part.strip().lower()
        if not slug:
            continue
        if not SLUG.match(slug) or len(slug) > 120:
            malformed = True
        elif slug in slugs:
            problems.append(_("“%(slug)s” was in the routine twice: it is listed once.") % {"slug": slug})
        else:
            slugs.append(slug)
    if malformed:
        problems.append(_("Part of the routine’s address was not an exercise name, so it was left out."))
    return slugs, problems


def from_query(values: list[str], exercises: QuerySet[Exercise] | None = None) -> Routine:
    """The routine described by the ``e`` values of a request, with a note for every problem.

    ``exercises`` is the published queryset to read them from (with what the page needs prefetched).
    """
    slugs, problems = requested_slugs(values)
    exercises = Exercise.objects.published() if exercises is None else exercises
    found = {exercise.slug: exercise for exercise in exercises.filter(slug__in=slugs[:200])}
    for slug in slugs:
        if slug not in found:
            problems.append(
                _("We could not find an exercise called “%(slug)s”, so it was left out.") % {"slug": slug}
            )
    kept = [slug for slug in slugs if slug in found]
    limit = MAX_EXERCISES
    if len(kept) > limit:
        problems.append(
            ngettext(
                "A routine holds at most %(limit)d exercise, so the first %(limit)d was kept.",
                "A routine holds at most %(limit)d exercises, so the first %(limit)d were kept.",
                limit,
            )
            % {"limit": limit}
        )
        kept = kept[:limit]
    return Routine(exercises=[found[slug] for slug in sorted(kept)], problems=problems)
