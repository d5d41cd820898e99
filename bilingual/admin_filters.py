"""What the admin shows editors about Welsh versions: a list filter and a column.

Content is edited in both languages side by side (``modeltranslation``'s
``TranslationAdmin`` puts "Title [en-gb]" and "Title [cy]" one above the
other); these say which items still lack Welsh, so an editor can find them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .languages import missing_welsh, missing_welsh_q


class MissingWelshFilter(admin.SimpleListFilter):
    title = _("Welsh version")
    parameter_name = "welsh"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("missing", _("Missing or incomplete")), ("complete", _("Complete"))]

    def missing(self, model: type[models.Model]) -> Q:
        return missing_welsh_q(model)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("missing", "complete"):
            return queryset
        lacking = queryset.model._default_manager.filter(self.missing(queryset.model)).values("pk")
        if self.value() == "missing":
            return queryset.filter(pk__in=lacking)
        return queryset.exclude(pk__in=lacking)


@admin.display(description=_("Welsh"), boolean=True)
def has_welsh(obj: models.Model) -> bool:
    """A tick when every text written in English also has its Welsh version."""
    return not missing_welsh(obj)
