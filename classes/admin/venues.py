"""The venue admin: editors keep venues accurate; teachers may only look (``classes/permissions.py``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from bilingual.admin_filters import MissingWelshFilter, has_welsh

from ..models import Venue


@admin.register(Venue)
class VenueAdmin(TranslationAdmin):
    list_display = ["name", "town", "is_online", "step_free_access", "chairs_available", has_welsh]
    list_filter = ["town", "is_online", "step_free_access", MissingWelshFilter]
    search_fields = ["name", "town", "postcode"]
    fieldsets = [
        (None, {"fields": ["name", "is_online", "address", "town", "postcode"]}),
        (_("Map"), {"fields": ["latitude", "longitude"], "classes": ["collapse"]}),
        (
            _("Access"),
            {"fields": [*Venue.ACCESS_FIELDS, "accessibility_notes"]},
        ),
    ]
