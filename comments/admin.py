"""The moderation queue: counts, filters, Approve / Spam / Not spam / Trash, and each comment's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from akismet_service import health
from akismet_service.choices import Verdict

from . import lifecycle, targets
from .models import Comment, CommentEvent, CommentSettings

DECISIONS = {
    Comment.Status.APPROVED: lifecycle.approve,
    Comment.Status.SPAM: lifecycle.mark_spam,
    Comment.Status.TRASH: lifecycle.trash,
}


def _moderation_action(
    decide: Callable[..., int], *, name: str, description: StrOrPromise, done: Callable[[int], str]
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[Comment]], None]:
    """An admin action that applies one lifecycle decision and says how many comments it changed.

    ``done(count)`` calls ``ngettext`` with the literal strings, so that
    ``makemessages`` finds them and the Welsh admin says it in Welsh.
    """

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = decide(queryset, actor=request.user)
        modeladmin.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    action.__name__ = name
    return action


MODERATION_ACTIONS = [
    _moderation_action(
        lifecycle.approve,
        name="approve",
        description=_("Approve"),
        done=lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
    ),
    _moderation_action(
        lifecycle.mark_spam,
        name="mark_spam",
        description=_("Spam (and tell Akismet)"),
        done=lambda n: ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n),
    ),
    _moderation_action(
        lifecycle.mark_not_spam,
        name="mark_not_spam",
        description=_("Not spam (tell Akismet, then approve)"),
        done=lambda n: ngettext(
            "%(count)d comment marked as not spam.", "%(count)d comments marked as not spam.", n
        ),
    ),
    _moderation_action(
        lifecycle.trash,
        name="trash",
        description=_("Trash"),
        done=lambda n: ngettext("%(count)d comment moved to trash.", "%(count)d comments moved to trash.", n),
    ),
]


class CommentAdminForm(forms.ModelForm):
    """A moderator chooses Approved, Spam or Trash; "Pending" is only ever the state a comment starts in."""

    class Meta:
        model = Comment
        fields = ["status"]  # the admin adds the fields of its fieldsets

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else None
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                (value, label)
                for value, label in Comment.Status.choices
                if value in DECISIONS or value == current
            ]
            self.fields["status"].help_text = _(
                "Approved publishes the comment; Spam also tells Akismet; Trash hides it. "
                "A comment cannot be put back to Pending."
            )

    def clean_status(self) -> str:
        value = self.cleaned_data["status"]
        if value not in DECISIONS and value != self.instance.status:
            raise forms.ValidationError(
                _("A comment cannot be put back to Pending: choose Approved, Spam or Trash."),
                code="pending",
            )
        return value


class BlatantSpamFilter(admin.SimpleListFilter):
    """Blatant spam (Akismet's "discard") stays out of the queue unless asked for."""

    title = _("blatant spam")
    parameter_name = "blatant"

    def lookups(self, request, model_admin):
        return [("include", _("Include blatant spam")), ("only", _("Only blatant spam"))]

    def queryset(self, request, queryset):
        if self.value() == "only":
            return queryset.filter(is_discard=True)
        if self.value() == "include":
            return queryset
        return queryset.moderation_queue()


class VerdictFilter(admin.SimpleListFilter):
    title = _("Akismet verdict")
    parameter_name = "verdict"

    def lookups(self, request, model_admin):
        return [
            ("ham", _("Not spam")),
            ("spam", _("Spam")),
            ("discard", _("Blatant spam")),
            ("none", _("No verdict yet")),  # "none" (not "pending") keeps bookmarked filters working
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(spam_verdict=Verdict.PENDING)
        if self.value():
            return queryset.filter(spam_verdict=self.value())
        return queryset


class CommentEventInline(admin.TabularInline):
    model = CommentEvent
    fields = readonly_fields = ("at", "kind", "actor", "detail")
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ["summary", "name", "status", "on_page", "submitted_at", "spam_verdict", "held_reason"]
    list_filter = ["status", BlatantSpamFilter, VerdictFilter, "content_type", "submitted_at"]
    search_fields = ["name", "email", "text", "=ip"]
    date_hierarchy = "submitted_at"
    list_per_page = 50
    actions = MODERATION_ACTIONS
    inlines = [CommentEventInline]
    readonly_fields = [
        "on_page",
        "parent",
        "email",
        "ip",
        "user_agent",
        "referrer",
        "permalink",
        "submitted_at",
        "spam_verdict",
        "checked_at",
        "held_reason",
        "guard_reason",
        "badge",
        "user",
        "status_changed_at",
        "is_discard",
        "next_check_at",
        "check_attempts",
        "first_failure_reason",
        "last_failure_reason",
        "pending_report",
        "report_attempts",
        "next_report_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "on_page",
                    "parent",
                    "status",
                    "status_changed_at",
                    "name",
                    "badge",
                    "user",
                    "email",
                    "url",
                    "text",
                    "subscribed",
                ]
            },
        ),
        (
            _("Spam check"),
            {
                "fields": [
                    "spam_verdict",
                    "checked_at",
                    "held_reason",
                    "guard_reason",
                    "is_discard",
                    "check_attempts",
                    "next_check_at",
                    "first_failure_reason",
                    "last_failure_reason",
                    "pending_report",
                    "report_attempts",
                    "next_report_at",
                ]
            },
        ),
        (
            _("Sent with the comment"),
            {"fields": ["submitted_at", "ip", "user_agent", "referrer", "permalink"]},
        ),
    ]

    class Media:
        css = {"all": ["comments/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        counts = dict(
            Comment.objects.moderation_queue().values_list("status").annotate(n=Count("pk")).order_by()
        )
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Comment.Status.choices
            ],
            "akismet_warnings": health.warnings(),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj: Comment, form, change: bool) -> None:
        """Editing a comment's text is allowed; a status change goes through the same decisions as the actions."""
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            DECISIONS[Comment.Status(new_status)]([obj], actor=request.user)
            return
        super().save_model(request, obj, form, change)

    @admin.display(description=_("comment"))
    def summary(self, obj: Comment) -> str:
        return truncatechars(obj.text, 80)

    @admin.display(description=_("on the page"))
    def on_page(self, obj: Comment) -> str:
        target = obj.target
        if target is None:
            return str(_("(page deleted)"))
        url = targets.url(target)
        return format_html('<a href="{}">{}</a>', url, target) if url else str(target)


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "object_id", "closed"]
    list_filter = ["closed", "content_type"]
