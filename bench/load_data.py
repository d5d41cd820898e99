"""The benchmark's data set, on top of ``manage.py load_demo``.

    python bench/load_data.py NOTES.json

* the knee-walking exercise with 30 approved comments, in threads of three;
* 50 published courses with 600 sessions (12 weekly sessions each).

Safe to run again: it removes what an earlier run made first.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from classes.models import Course, Session, Teacher, Venue  # noqa: E402
from comments.models import Comment  # noqa: E402
from exercises.models import Exercise  # noqa: E402

EXERCISE_SLUG = "knee-walking"
COMMENTS = 30
COURSES = 50
SESSIONS_PER_COURSE = 12
BENCH_EMAIL = "bench-reader@example.org"


@transaction.atomic
def load_comments(exercise: Exercise) -> str:
    Comment.objects.filter(email=BENCH_EMAIL).delete()
    made: list[Comment] = []
    for n in range(COMMENTS):
        # Every third comment starts a thread; the next two reply in it.
        parent = made[n - n % 3] if n % 3 else None
        made.append(
            Comment.objects.create(
                target=exercise,
                parent=parent,
                status=Comment.Status.APPROVED,
                name=f"Bench reader {n + 1}",
                email=BENCH_EMAIL,
                text=f"Benchmark comment {n + 1}: does this help with sciatica too?\nThank you.",
            )
        )
    return f"{len(made)} approved comments on /exercises/{exercise.slug}/, in threads of 3"


@transaction.atomic
def load_courses() -> str:
    Course.objects.filter(slug__startswith="bench-").delete()
    teacher = Teacher.objects.order_by("pk").first()
    venue = Venue.objects.order_by("pk").first()
    start = timezone.localdate() + timedelta(days=1)
    for n in range(COURSES):
        first = start + timedelta(days=n % 7)
        course = Course.objects.create(
            title=f"Yoga for backs, group {n + 1}",
            slug=f"bench-yoga-for-backs-{n + 1}",
            description="A gentle weekly class for stiff and sore backs.",
            venue=venue,
            weekday=first.weekday(),
            start_time=time(18, 30),
            end_time=time(19, 45),
            price="60.00",
            capacity=12,
            places_left=n % 12,
            is_published=True,
        )
        course.teachers.set([teacher])
        Session.objects.bulk_create(
            Session(
                course=course,
                date=first + timedelta(weeks=week),
                start_time=time(18, 30),
                end_time=time(19, 45),
            )
            for week in range(SESSIONS_PER_COURSE)
        )
    sessions = Session.objects.filter(course__slug__startswith="bench-").count()
    return f"{COURSES} published courses with {sessions} sessions"


def main() -> None:
    exercise = Exercise.objects.get(slug=EXERCISE_SLUG)
    notes = {"comments": load_comments(exercise), "classes": load_courses()}
    for name, note in notes.items():
        print(f"bench data, {name}: {note}")
    Path(sys.argv[1]).write_text(json.dumps(notes, indent=2))


if __name__ == "__main__":
    main()
