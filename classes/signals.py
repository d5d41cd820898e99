"""Publishing a course, however it happens (the admin form, "repeat this course" then ticking
"show on the site", the shell), queues its alerts once the save is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import AnnouncedCourse, Course


def announce_when_published(sender: type[Course], instance: Course, **kwargs: Any) -> None:
    """After commit, so the admin's inline sessions are saved too; the task announces a course once."""
    if kwargs.get("raw") or not instance.is_published:
        return
    course_id = instance.pk

    def enqueue() -> None:
        from .tasks import announce_course

        if not AnnouncedCourse.objects.filter(course_id=course_id).exists():
            announce_course.enqueue(course_id)

    # robust: a queue that is down must not fail the teacher's save; the next save retries.
    transaction.on_commit(enqueue, robust=True)
