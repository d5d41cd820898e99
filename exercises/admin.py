from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from accessible_admin import PICTURE_WIDGETS, LabelledListEditableMixin
from bilingual.admin_filters import MissingWelshFilter, has_welsh
from bilingual.languages import missing_welsh

from .models import Category, Exercise, Step


class StepInline(TranslationStackedInline):
    model = Step
    extra = 1
    formfield_overrides = PICTURE_WIDGETS
    fields = ["position", "text", "image", "image_alt"]
    verbose_name = _("step")
    verbose_name_plural = _("steps, in order (number them 1, 2, 3…)")


@admin.register(Category)
class CategoryAdmin(LabelledListEditableMixin, TranslationAdmin):
    list_display = ["name", "position", has_welsh]
    list_filter = [MissingWelshFilter]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ExerciseWelshFilter(MissingWelshFilter):
    """An exercise lacks Welsh when it, or any of its steps, does."""

    def missing(self, model: type[models.Model]) -> Q:
        steps = Step.objects.filter(super().missing(Step)).values("exercise")
        return super().missing(model) | Q(pk__in=steps)


@admin.register(Exercise)
class ExerciseAdmin(TranslationAdmin):
    list_display = ["title", "category", "status", "published_at", "updated_at", "welsh"]
    list_filter = ["status", "category", ExerciseWelshFilter]
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
        return super().get_queryset(request).select_related("category").prefetch_related("steps")

    @admin.display(description=_("Welsh"), boolean=True)
    def welsh(self, exercise: Exercise) -> bool:
        return not missing_welsh(exercise) and not any(missing_welsh(step) for step in exercise.steps.all())

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
