from django.contrib import admin

from .models import BouncingAddress


@admin.register(BouncingAddress)
class BouncingAddressAdmin(admin.ModelAdmin):
    """Editors see which addresses are no longer mailed; deleting one mails it again."""

    list_display = ["email", "last_bounced_at", "status", "diagnostic"]
    search_fields = ["email"]
    readonly_fields = ["email", "first_bounced_at", "last_bounced_at", "status", "diagnostic"]
    date_hierarchy = "last_bounced_at"

    def has_add_permission(self, request) -> bool:
        return False
