"""Filters for the shared pieces in ``templates/includes/`` (the error summary, the pagination).

Loaded by those includes only: an app's template includes the piece and passes it what it has
(a form, a page), so no app loads this library.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def error_pairs(form: Any) -> list[tuple[str, str]]:
    """(field id, message) for each error of ``form``, as the error summary lists them: each
    field's errors named by its label and linked to the field, then the form's own, unlinked."""
    if not getattr(form, "errors", None):
        return []
    pairs = [(field.auto_id, f"{field.label}: {error}") for field in form for error in field.errors]
    pairs += [("", str(error)) for error in form.non_field_errors()]
    return pairs


@register.filter
def keyed(value: object, name: str) -> dict[str, object]:
    """``{name: value}``: a mapping for ``{% querystring %}`` when the parameter's name is itself
    a variable (``{% querystring page.next_page_number|keyed:param %}``)."""
    return {name: value}
