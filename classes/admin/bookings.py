"""The place requests admin, row-level like courses: a teacher sees only the requests for
their own courses and confirms or declines each with one tap (a POST button on the start
page or the request's page, CSRF-checked, no JavaScript); anything else is "not found".
Spam never reaches the list (it is deleted), and requests whose address is not confirmed
are the editors' to see.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import bookings
from ..models import Booking
from ..permissions import NotFoundForOthersMixin, is_editor, teacher_of
from ..quick_actions import change_message


@admin.register(Booking)
class BookingAdmin(NotFoundForOthersMixin, admin.ModelAdmin):
    list_display = ["created_at", "name", "course", "status"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    TEACHER_FIELDS = [
        "course",
        "status",
        "name",
        "email",
        "phone",
        "note",
        "warning_signs",
        "language",
        "created_at",
        "address_confirmed_at",
        "decided_at",
        "offer_expires_at",
        "cancelled_at",
    ]
    change_form_template = "admin/classes/booking/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        rows = super().get_queryset(request).select_related("course")
        if is_editor(request.user):
            return rows
        return (
            rows.filter(course__teachers__user=request.user)
            .exclude(status=Booking.Status.UNCONFIRMED)
            .distinct()
        )

    def get_fields(self, request: HttpRequest, obj: Booking | None = None) -> tuple[str, ...]:
        if is_editor(request.user):
            return (*self.TEACHER_FIELDS, "verdict", "ip_address", "user_agent", "referrer")
        return tuple(self.TEACHER_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Booking | None = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """A teacher filters only on what they are shown (a hidden field's value would show in the count)."""
        if not is_editor(request.user) and lookup.split(LOOKUP_SEP, 1)[0] not in self.TEACHER_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user) or teacher_of(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return self._may_handle(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return self._may_handle(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return is_editor(request.user)

    def _may_handle(self, request: HttpRequest, obj: Booking | None) -> bool:
        if is_editor(request.user):
            return True
        if teacher_of(request.user) is None:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    # --- One tap: confirm or decline ----------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/confirm/",
                view(require_POST(self.confirm_view)),
                name="classes_booking_confirm",
            ),
            path(
                "<path:object_id>/decline/",
                view(require_POST(self.decline_view)),
                name="classes_booking_decline",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _back(request: HttpRequest, booking: Booking) -> str:
        """Back to where the tap was made: the start page (at the course) or the request's page."""
        if request.POST.get("from") == "change":
            return reverse("admin:classes_booking_change", args=[booking.pk])
        return reverse("admin:index") + f"#course-{booking.course_id}"

    def confirm_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, confirm=True)

    def decline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decide(request, object_id, confirm=False)

    @staticmethod
    def _said(booking: Booking, *, confirm: bool) -> str:
        if booking.status == Booking.Status.CONFIRMED:
            return _("%(name)s has a place: we have e-mailed them the dates.") % {"name": booking.name}
        if booking.status == Booking.Status.DECLINED:
            return _("%(name)s is told you cannot offer a place this time.") % {"name": booking.name}
        if confirm and booking.status == Booking.Status.WAITING:
            return _(
                "The course is full, so %(name)s is on the waiting list: they are offered the next free place."
            ) % {"name": booking.name}
        return _("Nothing changed: %(name)s’s request is “%(status)s”.") % {
            "name": booking.name,
            "status": booking.get_status_display(),
        }

    def _decide(self, request: HttpRequest, object_id: str, *, confirm: bool) -> HttpResponse:
        """POST only (a link followed or prefetched changes nothing), CSRF-checked by the admin."""
        booking = self.get_object(request, unquote(object_id))  # another teacher's: 404
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        booking = bookings.decide(booking, confirm=confirm)
        self.log_change(request, booking, change_message(booking, ["status"]))
        self.message_user(request, self._said(booking, confirm=confirm), messages.SUCCESS)
        return HttpResponseRedirect(self._back(request, booking))
