from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backcare.accessible_admin import PICTURE_WIDGETS, LabelledListEditableMixin

from .models import Category, Exercise, Step


class StepInline(admin.StackedInline):
    model = Step
    extra = 1
    formfield_overrides = PICTURE_WIDGETS
    fields = ["position", "text", "image", "image_alt"]
    verbose_name = _("step")
    verbose_name_plural = _("steps, in order (number them 1, 2, 3…)")


@admin.register(Category)
class CategoryAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "status", "published_at", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["title", "summary", "steps__text"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [StepInline]
    formfield_overrides = PICTURE_WIDGETS
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary"]}),
        (
            _("The exercise"),
            {"fields": ["starting_position", "repetitions", "frequency", "duration", "cautions"]},
        ),
        (_("Picture and more text"), {"fields": ["image", "image_alt", "body"], "classes": ["collapse"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "author", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
