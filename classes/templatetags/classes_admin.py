"""``{% your_courses %}``: the teacher's courses at the top of the admin start page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ..models import Booking, Course, Session
from ..permissions import teacher_of

register = template.Library()

NEXT_SESSIONS = 4


def courses_for_start_page(user) -> list[Course]:
    """A login's upcoming courses with their next few sessions (cancelled ones too, marked), the
    places asked for that wait for the teacher (then the waiting list, in its order) and how
    many places are confirmed."""
    today = timezone.localdate()
    to_come = Session.objects.filter(date__gte=today).order_by("date", "start_time")
    waiting = Booking.objects.filter(status__in=[Booking.Status.REQUESTED, Booking.Status.WAITING]).order_by(
        "status", "address_confirmed_at", "pk"
    )
    courses = (
        Course.objects.taught_by(user)
        .upcoming(today)
        .annotate(
            confirmed_count=Count(
                "bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED), distinct=True
            )
        )
        .prefetch_related(
            Prefetch("sessions", queryset=to_come, to_attr="sessions_to_come"),
            Prefetch("bookings", queryset=waiting, to_attr="requests"),
        )
    )
    for course in courses:
        # An attribute for the template alone (a model instance can declare no such thing to the stubs).
        course.next_sessions = course.sessions_to_come[:NEXT_SESSIONS]  # type: ignore[attr-defined]
    return list(courses)


@register.inclusion_tag("admin/classes/your_courses.html", takes_context=True)
def your_courses(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    is_teacher = teacher_of(user) is not None
    return {
        "show": is_teacher,
        "courses": courses_for_start_page(user) if is_teacher else [],
        "can_add": user.has_perm("classes.add_course"),
    }
