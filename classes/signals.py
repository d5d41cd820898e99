"""Publishing a course, however it happens (the admin form, "repeat this course" then ticking
"show on the site", the shell), queues its alerts once the save is committed; an e-mail owed
about a place request (``BookingMessage``) is sent once the change that caused it is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import AnnouncedCourse, BookingMessage, Course


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


def send_when_queued(sender: type[BookingMessage], instance: BookingMessage, **kwargs: Any) -> None:
    """After commit, so a rolled-back change sends nothing; robust: a task queue that is down
    must not undo the change (``sweep_bookings`` sends what waits)."""
    if kwargs.get("raw") or not kwargs.get("created"):
        return
    message_id = instance.pk

    def enqueue() -> None:
        from .tasks import send_booking_message

        send_booking_message.enqueue(message_id)

    transaction.on_commit(enqueue, robust=True)
