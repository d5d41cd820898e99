"""The teacher admin: a teacher sees and changes only their own profile (not its login or
web address); editors add, link and remove teachers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from accessible_admin import PICTURE_WIDGETS
from bilingual.admin_filters import MissingWelshFilter, has_welsh

from .. import photos
from ..models import Teacher
from ..permissions import NotFoundForOthersMixin, is_editor

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec


@admin.register(Teacher)
class TeacherAdmin(NotFoundForOthersMixin, TranslationAdmin):
    list_display = ["name", "organisation", "user", has_welsh]
    list_filter = [MissingWelshFilter]
    search_fields = ["name", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    # The photo goes through the picture pipeline (classes/photos.py) for editors and teachers alike.
    formfield_overrides = {
        models.ImageField: {**PICTURE_WIDGETS[models.ImageField], "form_class": photos.PhotoField}
    }
    fieldsets = [
        (None, {"fields": ["name", "slug", "organisation", "bio", "qualifications"]}),
        (_("Photo"), {"fields": ["photo", "photo_alt"]}),
        (
            _("How readers can reach you"),
            {
                "description": _(
                    "Readers can always write to you through the enquiry form on the site, "
                    "which does not show your e-mail address. Tick what else to show."
                ),
                "fields": ["email", "show_email", "phone", "show_phone", "website", "show_website"],
            },
        ),
        (_("Login"), {"fields": ["user"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Teacher]:
        teachers = super().get_queryset(request)
        return teachers if is_editor(request.user) else teachers.filter(user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Teacher | None = None) -> list[str]:
        return [] if is_editor(request.user) else ["login", "slug"]

    def get_fieldsets(self, request: HttpRequest, obj: Teacher | None = None) -> _FieldsetSpec:
        """A teacher sees their login as text: Django links a read-only login to the logins'
        admin, which only editors may open (the link led a teacher to "403 Forbidden")."""
        fieldsets = super().get_fieldsets(request, obj)
        if is_editor(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": ["login" if f == "user" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description=Teacher._meta.get_field("user").verbose_name)
    def login(self, teacher: Teacher) -> str:
        return teacher.user.get_username() if teacher.user else self.get_empty_value_display()

    def get_prepopulated_fields(self, request: HttpRequest, obj: Teacher | None = None) -> dict:
        return self.prepopulated_fields if is_editor(request.user) else {}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and is_editor(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Teacher | None = None) -> bool:
        return super().has_delete_permission(request, obj) and is_editor(request.user)

    def save_model(self, request: HttpRequest, obj: Teacher, form: forms.ModelForm, change: bool) -> None:
        previous = form.initial.get("photo")
        super().save_model(request, obj, form, change)
        if "photo" not in form.changed_data:
            return
        if obj.photo:
            photos.save_widths(obj.photo)
        if previous and previous.name != obj.photo.name:
            photos.forget_after_commit(previous.name, storage=obj.photo.storage)
