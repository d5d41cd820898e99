"""``{% upcoming_courses_box %}``: the next few courses, for the home and exercise pages."""

from typing import Any

from django import template

from ..models import Course

register = template.Library()

BOX = "classes/includes/upcoming_courses.html"


@register.inclusion_tag(BOX, takes_context=True)
def upcoming_courses_box(context: template.Context, *, aside: bool = False) -> dict[str, Any]:
    """The "find a class" box: a section of its own (the home page), or an ``aside`` beside an
    exercise. Its list is a kept fragment, the same on both pages, so it needs the request."""
    return {"request": context.get("request"), "aside": aside}


@register.inclusion_tag(f"{BOX}#courses")
def upcoming_courses(count: int = 3) -> dict[str, Any]:
    """The list inside the box, read only when the kept fragment is missing."""
    return {"courses": list(Course.objects.published().upcoming().for_listing()[:count])}
