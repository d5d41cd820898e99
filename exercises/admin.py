from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from accessible_admin import PICTURE_WIDGETS, LabelledListEditableMixin
from bilingual.admin_filters import MissingWelshFilter, has_welsh
from bilingual.languages import LANGUAGE_NAMES, missing_welsh

from . import handouts, pictures, tasks
from .models import Category, Exercise, Handout, HandoutItem, Step


class PictureForm(forms.ModelForm):
    """Every uploaded picture is checked and re-encoded as WebP before it is saved (see pictures.py).

    A plain file field: Django's image field would refuse an SVG with its own vaguer message first.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if field := self.fields.get("image"):
            self.fields["image"] = forms.FileField(
                required=False, label=field.label, help_text=field.help_text, widget=field.widget
            )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return pictures.clean_upload(image)
        return image


def save_picture_widths(obj: Exercise | Step, form: forms.ModelForm) -> None:
    if obj.image and "image" in form.changed_data:
        pictures.save_widths(obj.image)


class StepInline(TranslationStackedInline):
    model = Step
    form = PictureForm
    extra = 1
    formfield_overrides = PICTURE_WIDGETS
    fields = ["position", "text", "image", "drawing", "image_alt"]
    verbose_name = _("step")
    verbose_name_plural = _("steps, in order (number them 1, 2, 3…)")


@admin.register(Category)
class CategoryAdmin(LabelledListEditableMixin, TranslationAdmin):
    list_display = ["name", "position", has_welsh]
    list_filter = [MissingWelshFilter]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    # Both languages, whichever language the admin is in (a bare "name" means the active one's).
    search_fields = ["name_en_gb", "name_cy"]


class ExerciseWelshFilter(MissingWelshFilter):
    """An exercise lacks Welsh when it, or any of its steps, does."""

    def missing(self, model: type[models.Model]) -> Q:
        steps = Step.objects.filter(super().missing(Step)).values("exercise")
        return super().missing(model) | Q(pk__in=steps)


@admin.register(Exercise)
class ExerciseAdmin(TranslationAdmin):
    list_display = ["title", "category", "status", "published_at", "updated_at", "welsh"]
    list_filter = ["status", "category", ExerciseWelshFilter]
    # Both languages, whichever language the admin is in (a bare "title" means the active one's).
    search_fields = [
        "title_en_gb",
        "title_cy",
        "summary_en_gb",
        "summary_cy",
        "steps__text_en_gb",
        "steps__text_cy",
    ]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [StepInline]
    form = PictureForm
    formfield_overrides = PICTURE_WIDGETS
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary"]}),
        (
            _("The exercise"),
            {"fields": ["starting_position", "repetitions", "frequency", "duration", "cautions"]},
        ),
        (
            _("Reminders"),
            {
                "fields": [("times_a_day", "reminder_days", "minutes")],
                "description": _(
                    "Readers can add reminders for this exercise to their calendar: say its dosage as numbers."
                ),
            },
        ),
        (_("Picture and more text"), {"fields": ["image", "drawing", "image_alt", "body"]}),
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
        save_picture_widths(obj, form)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for step_form in formset.forms:
            if step_form.instance.pk and step_form.has_changed():
                save_picture_widths(step_form.instance, step_form)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        tasks.enqueue_rebuilds(form.instance)


class HandoutItemInline(admin.StackedInline):
    """Stacked, with a plain select: a tabular row's inputs have no label (only a column
    heading), and an autocomplete box is an unnamed combobox that offers nothing without
    JavaScript. A handout picks from a few dozen exercises."""

    model = HandoutItem
    extra = 1
    fields = ["position", "exercise"]


@admin.register(Handout)
class HandoutAdmin(admin.ModelAdmin):
    """Compose a handout: its text and exercises; the PDF is rebuilt after every save."""

    list_display = ["title", "is_published", "pdf_pages", "pdf_built_at", "build_error"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [HandoutItemInline]
    fields = ["title", "slug", "intro", "closing_note", "is_published", "pdf_summary"]
    readonly_fields = ["pdf_summary"]

    @admin.display(description=_("PDF"))
    def pdf_summary(self, obj: Handout) -> str:
        """Each language's build, named in its own language (a Welsh PDF may lag or fail alone)."""
        if not obj.pk:
            return str(_("Not built yet: it is built after you save."))
        lines = []
        for language in handouts.languages():
            if (pdf := obj.built(language)) is None:
                summary = str(_("Not built yet: it is built after you save."))
            else:
                summary = ngettext(
                    "%(pages)d page, %(size)d KB, built %(when)s",
                    "%(pages)d pages, %(size)d KB, built %(when)s",
                    pdf.pages,
                ) % {
                    "pages": pdf.pages,
                    "size": pdf.kilobytes,
                    "when": pdf.built_at.strftime("%Y-%m-%d %H:%M") if pdf.built_at else "?",
                }
            lines.append(f"{LANGUAGE_NAMES[language]}: {summary}")
        if obj.build_error:
            lines.append(obj.build_error)
        return "; ".join(lines)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        tasks.enqueue_build(form.instance.pk)
