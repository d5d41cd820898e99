"""``{% upcoming_courses 3 %}``: the next few courses, for the home and exercise pages."""

from typing import Any

from django import template

from ..models import Course

register = template.Library()


@register.inclusion_tag("classes/includes/upcoming_courses.html")
def upcoming_courses(count: int = 3) -> dict[str, Any]:
    return {"courses": list(Course.objects.published().upcoming().for_listing()[:count])}
