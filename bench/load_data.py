"""The benchmark's data set, on top of ``manage.py load_demo``.

    python bench/load_data.py NOTES.json

* the knee-walking exercise with 30 comments in threads (comments app);
* 50 published courses with 600 sessions (classes app).

Each part copies rows that ``load_demo`` made (a demo comment, a demo course
and its sessions) instead of naming every field, so it keeps working as the
models grow. A part whose app is not there yet (or whose demo rows are
missing) is skipped with a note that bench/run prints and docs/performance.md
shows. HOOK markers show where to adjust after the comments and classes
branches are merged.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402

from exercises.models import Exercise  # noqa: E402

EXERCISE_SLUG = "knee-walking"
COMMENTS = 30
COURSES = 50
SESSIONS = 600


def model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def copy(instance, **changes):
    """Save a copy of ``instance`` with ``changes``; many-to-many links are copied too."""
    m2m = {f.name: list(getattr(instance, f.name).all()) for f in instance._meta.many_to_many}
    instance.pk = instance.id = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def load_comments(exercise: Exercise) -> str:
    # HOOK(comments): the model label, the "approved" state and the reply field.
    Comment = model("comments.Comment")
    if Comment is None:
        return "skipped: no comments.Comment model yet (comments branch not merged)"
    template = Comment.objects.order_by("pk").first()
    if template is None:
        return "skipped: load_demo made no comment to copy"
    fields = {f.name for f in Comment._meta.get_fields()}
    made = []
    for n in range(COMMENTS):
        changes = {"content_object": exercise} if "content_object" in fields else {"exercise": exercise}
        text_field = next((f for f in ("text", "body", "comment", "content") if f in fields), None)
        if text_field:
            changes[text_field] = f"Benchmark comment {n + 1}: does this help with sciatica too?"
        if "parent" in fields:
            # Threads: every third comment starts a thread, the next two reply in it.
            changes["parent"] = made[n - n % 3] if n % 3 else None
        made.append(copy(Comment.objects.get(pk=template.pk), **changes))
    return f"{len(made)} comments on /exercises/{exercise.slug}/, in threads of 3"


@transaction.atomic
def load_courses() -> str:
    # HOOK(classes): model labels and the "published" flag.
    Course, Session = model("classes.Course"), model("classes.Session")
    if Course is None or Session is None:
        return "skipped: no classes.Course/Session models yet (classes branch not merged)"
    template = Course.objects.order_by("pk").first()
    if template is None:
        return "skipped: load_demo made no course to copy"
    first_session = Session.objects.filter(course=template).order_by("pk").first()
    per_course = SESSIONS // COURSES
    for n in range(COURSES):
        course = copy(
            Course.objects.get(pk=template.pk),
            title=f"Yoga for backs, group {n + 1}",
            slug=f"bench-yoga-for-backs-{n + 1}",
            **({"is_published": True} if hasattr(template, "is_published") else {}),
        )
        if first_session is None:
            continue
        for week in range(per_course):
            copy(
                Session.objects.get(pk=first_session.pk),
                course=course,
                date=first_session.date + timedelta(weeks=week),
            )
    return (
        f"{COURSES} courses with {Session.objects.filter(course__slug__startswith='bench-').count()} sessions"
    )


def main() -> None:
    exercise = Exercise.objects.get(slug=EXERCISE_SLUG)
    notes = {}
    for name, load in (("comments", lambda: load_comments(exercise)), ("classes", load_courses)):
        try:
            notes[name] = load()
        except Exception as error:
            notes[name] = f"skipped: {type(error).__name__}: {error}"
        print(f"bench data, {name}: {notes[name]}")
    Path(sys.argv[1]).write_text(json.dumps(notes, indent=2))


if __name__ == "__main__":
    main()
