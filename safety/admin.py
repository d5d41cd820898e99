from django.contrib import admin

from .models import WarningSign


@admin.register(WarningSign)
class WarningSignAdmin(admin.ModelAdmin):
    list_display = ["words", "meaning", "active"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["words", "meaning"]
