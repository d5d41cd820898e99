"""``{% load sign_in_pages %}``: what the sign-in page templates (templates/account/) ask."""

from __future__ import annotations

from django import template

from ..admin_language import is_admin_path

register = template.Library()


@register.filter
def is_staff_door(next_url: object) -> bool:
    """Whether this sign-in leads to the admin: the staff door, where nobody signs up
    (staff logins are made by an editor), so it invites nobody to."""
    return bool(next_url) and is_admin_path(str(next_url))
