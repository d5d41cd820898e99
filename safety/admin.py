from django.contrib import admin

from .models import WarningSign


@admin.register(WarningSign)
class WarningSignAdmin(admin.ModelAdmin):
    list_display = ["words", "language", "meaning", "active"]
    list_editable = ["active"]
    list_filter = ["language", "active"]
    search_fields = ["words", "meaning"]
    fields = ["words", "language", "meaning", "active"]
