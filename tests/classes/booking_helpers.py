"""What the place-request tests share: a course with a teacher, the form's POST, the links in
the e-mails, and a booking put straight into a state."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from classes.models import Booking, BookingMessage
from tests.classes.factories import teacher_login, weekly_course

HEADERS = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}


def course_for(teacher, *, capacity=2, title="Gentle backs", **kwargs):
    return weekly_course(
        timezone.localdate() + timedelta(days=7),
        weeks=3,
        teachers=[teacher],
        title=title,
        capacity=capacity,
        places_left=capacity,
        **kwargs,
    )


def gwen():
    return teacher_login("gwen", name="Gwen Teacher")


def ask(client, capture, course, *, prefix="", **overrides):
    data = {"name": "Reader", "email": "reader@example.org", "phone": "", "note": ""} | overrides
    with capture(execute=True):
        return client.post(prefix + reverse("classes:book", args=[course.slug]), data, **HEADERS)


def link_in(message, name: str) -> str:
    match = re.search(
        r"http://127\.0\.0\.1:8000(/(?:cy/)?classes/places/" + name + r"/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def booking(course, status=Booking.Status.REQUESTED, *, email="reader@example.org", minutes_ago=0, **kwargs):
    confirmed_at = timezone.now() - timedelta(minutes=minutes_ago)
    return Booking.objects.create(
        course=course,
        name=kwargs.pop("name", email.split("@")[0].title()),
        email=email,
        status=status,
        address_confirmed_at=confirmed_at,
        verdict=Booking.Verdict.HAM,
        **kwargs,
    )


def kinds(queryset=None) -> list[str]:
    return [message.kind for message in (queryset or BookingMessage.objects.order_by("pk"))]
