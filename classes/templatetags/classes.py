"""``{% upcoming_courses_box %}``: the next few courses, for the home and exercise pages;
``{% calendar_url %}``: the calendar links' addresses."""

from typing import Any
from urllib.parse import urlencode

from django import template

from ..calendar import REMINDER_HOUR, REMINDER_PARAM, webcal_url
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


@register.simple_tag
def calendar_url(path: str, *, subscribe: bool = False, reminder: bool = False) -> str:
    """A calendar's address as a link offers it: ``webcal://`` to subscribe, with the reminder choice.

    One feed for both: the subscription is the download's own address, so the two never differ.
    """
    query = "?" + urlencode({REMINDER_PARAM: REMINDER_HOUR}) if reminder else ""
    return webcal_url(path + query) if subscribe else path + query
