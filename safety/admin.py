from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import WarningSign


@admin.register(WarningSign)
class WarningSignAdmin(admin.ModelAdmin):
    list_display = ["words", "language", "meaning", "active"]
    list_editable = ["active"]
    list_filter = ["language", "active"]
    search_fields = ["words", "meaning"]
    fields = ["words", "language", "meaning", "active"]

    def get_changelist_form(self, request: HttpRequest, **kwargs) -> type[forms.ModelForm]:
        """Names each "in use" tick box after its row ("In use, numb saddle"): a bare input in a
        table cell has no label (WCAG 4.1.2). accessible_admin does this for the other apps,
        which safety may not import."""
        base = super().get_changelist_form(request, **kwargs)

        class LabelledRowForm(base):  # type: ignore[valid-type,misc]  # a class made at run time
            def __init__(self, *args, **form_kwargs) -> None:
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs["aria-label"] = _("%(column)s, %(row)s") % {
                        "column": str(field.label or "").capitalize(),
                        "row": self.instance,
                    }

        return LabelledRowForm
