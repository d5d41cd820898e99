"""The enquiry admin, row-level like courses: a teacher sees only the enquiries sent to them,
can mark them answered and sees the ones that could not be delivered; anything else is
"not found". Spam, held enquiries and the spam check's details are the editors'.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from ..models import Enquiry
from ..permissions import NotFoundForOthersMixin, is_editor, teacher_of


class EnquiryAnswerForm(forms.ModelForm):
    """The one thing anyone changes on an enquiry: whether it has been answered."""

    answered = forms.BooleanField(label=_("I have answered this"), required=False)

    class Meta:
        model = Enquiry
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered"].initial = bool(self.instance.answered_at)

    def save(self, commit: bool = True) -> Enquiry:
        answered = self.cleaned_data["answered"]
        if answered and not self.instance.answered_at:
            self.instance.answered_at = timezone.now()
        elif not answered:
            self.instance.answered_at = None
        return super().save(commit)


@admin.register(Enquiry)
class EnquiryAdmin(NotFoundForOthersMixin, admin.ModelAdmin):
    form = EnquiryAnswerForm
    search_fields = ["name", "email", "message"]
    actions = ["mark_answered", "send_again"]
    date_hierarchy = None
    TEACHER_FIELDS = ["created_at", "name", "email", "phone", "course", "message", "sent_at", "last_error"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enquiry]:
        enquiries = super().get_queryset(request).select_related("teacher", "course")
        if is_editor(request.user):
            return enquiries
        # Spam, and messages held for their warning signs, were never sent to the
        # teacher; they are the editor's to look at.
        return (
            enquiries.filter(teacher__user=request.user)
            .exclude(verdict__in=[Enquiry.Verdict.SPAM, Enquiry.Verdict.DISCARD])
            .filter(held_reason="")
        )

    def get_list_display(self, request: HttpRequest) -> list:
        columns = ["created_at", "name", "course", "delivery", "answered"]
        return (
            [*columns[:2], "teacher", *columns[2:], "verdict", "held_reason"]
            if is_editor(request.user)
            else columns
        )

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = [("answered_at", admin.EmptyFieldListFilter), ("sent_at", admin.EmptyFieldListFilter)]
        if is_editor(request.user):
            return [*filters, "verdict", ("held_reason", admin.EmptyFieldListFilter)]
        return filters

    def get_fields(self, request: HttpRequest, obj: Enquiry | None = None) -> tuple[str, ...]:
        if is_editor(request.user):
            return (
                *[field.name for field in Enquiry._meta.fields if field.name not in {"id", "answered_at"}],
                "answered",
            )
        return (*self.TEACHER_FIELDS, "answered")

    def get_readonly_fields(self, request: HttpRequest, obj: Enquiry | None = None) -> list[str]:
        return [name for name in self.get_fields(request, obj) if name != "answered"]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """A teacher filters only on what they are shown (and the "answered"/"sent" filters): a
        filter on a hidden field (``?user_agent__contains=…``, ``?referrer__startswith=…``,
        ``?language=cy``) would give its value away through the row count. Refused with a 400."""
        if not is_editor(request.user):
            field = lookup.split(LOOKUP_SEP, 1)[0]
            if field not in {*self.TEACHER_FIELDS, "answered_at"}:
                return False
        return super().lookup_allowed(lookup, value, request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user) or teacher_of(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: Enquiry | None = None) -> bool:
        return self._may_handle(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Enquiry | None = None) -> bool:
        return self._may_handle(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Enquiry | None = None) -> bool:
        return is_editor(request.user)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    def _may_handle(self, request: HttpRequest, obj: Enquiry | None) -> bool:
        if is_editor(request.user):
            return True
        teacher = teacher_of(request.user)
        return teacher is not None and (obj is None or obj.teacher_id == teacher.pk)

    @admin.display(description=_("delivered"))
    def delivery(self, enquiry: Enquiry) -> StrOrPromise:
        if enquiry.sent_at:
            return _("Sent by e-mail")
        if enquiry.last_error:
            return _("Not delivered yet: the e-mail could not be sent (it is retried)")
        return _("Not sent yet")

    @admin.display(description=_("answered"), boolean=True, ordering="answered_at")
    def answered(self, enquiry: Enquiry) -> bool:
        return enquiry.answered_at is not None

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[Enquiry]) -> None:
        count = queryset.filter(answered_at__isnull=True).update(answered_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d enquiry marked answered.", "%(count)d enquiries marked answered.", count)
            % {"count": count},
        )

    @admin.action(description=_("Send to the teacher again"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Enquiry]) -> None:
        from ..tasks import deliver_enquiry

        count = 0
        for enquiry in queryset.filter(sent_at__isnull=True):
            deliver_enquiry.enqueue(enquiry.pk, force=True)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d enquiry queued to send.", "%(count)d enquiries queued to send.", count)
            % {"count": count},
        )
