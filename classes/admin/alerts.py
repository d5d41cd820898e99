"""The course alert admin: of the sign-ups a teacher sees only how many people wait for
their courses, never who; editors see every sign-up."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..models import AlertSubscription
from ..permissions import NotFoundForOthersMixin, is_editor, teacher_of


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(NotFoundForOthersMixin, admin.ModelAdmin):
    """Editors: every sign-up. Teachers: how many wait for their courses, and nothing else."""

    list_display = ["email", "choice", "confirmed_at", "created_at", "last_sent_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "teacher", "language"]
    search_fields = ["email", "town"]
    readonly_fields = [
        "email",
        "teacher",
        "town",
        "language",
        "verdict",
        "created_at",
        "confirmed_at",
        "last_sent_at",
    ]
    fields = [*readonly_fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AlertSubscription]:
        subscriptions = super().get_queryset(request).select_related("teacher")
        return subscriptions if is_editor(request.user) else subscriptions.none()

    @admin.display(description=_("asked for"))
    def choice(self, subscription: AlertSubscription) -> str:
        return subscription.choice_label

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user) or teacher_of(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: AlertSubscription | None = None) -> bool:
        return is_editor(request.user) or (obj is None and teacher_of(request.user) is not None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AlertSubscription | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AlertSubscription | None = None) -> bool:
        return is_editor(request.user)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if is_editor(request.user):
            return super().changelist_view(request, extra_context)
        teacher = teacher_of(request.user)
        if teacher is None:
            return super().changelist_view(request, extra_context)  # refuses as usual
        context = {
            **self.admin_site.each_context(request),
            "title": _("People waiting for your next course"),
            "opts": self.opts,
            "teacher": teacher,
            "counts": AlertSubscription.objects.waiting_for(teacher),
        }
        return TemplateResponse(request, "admin/classes/alertsubscription/waiting.html", context)
