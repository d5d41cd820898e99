"""Admin pieces that give every input a name screen readers announce (WCAG 1.3.1, 4.1.2).

A package of its own, not part of ``backcare``: the content apps (exercises,
classes) use it, and they may not import the project package.

Django's admin leaves two kinds of input without a label: the editable
columns of a change list (a bare input in a table cell) and picture inputs
(wrapped in a fieldset whose legend is not announced as the input's name).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class LabelledFileInput(forms.ClearableFileInput):
    """A picture input with a plain ``<label for>``, which is what axe and people need."""

    use_fieldset = False


PICTURE_WIDGETS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.ImageField: {"widget": LabelledFileInput}
}


class LabelledListEditableMixin:
    """Names each editable cell after its column and row: "Places left, Gentle backs"."""

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[forms.ModelForm]:
        base = super().get_changelist_form(request, **kwargs)  # type: ignore[misc]  # a mixin for ModelAdmin

        class LabelledRowForm(base):  # type: ignore[valid-type,misc]  # a class made at run time
            def __init__(self, *args: Any, **form_kwargs: Any) -> None:
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs["aria-label"] = _("%(column)s, %(row)s") % {
                        "column": str(field.label or "").capitalize(),
                        "row": self.instance,
                    }

        return LabelledRowForm
