"""The course admin: a teacher works only on the courses whose teachers include their own
profile, with its sessions inline, the start page's quick actions and "repeat this course";
every other course is "not found" to them, whichever admin address they try.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from accessible_admin import LabelledListEditableMixin
from bilingual.admin_filters import MissingWelshFilter, has_welsh

from .. import bookings
from ..forms import RepeatCourseForm
from ..models import Course, Session, publishing_problem
from ..permissions import NotFoundForOthersMixin, is_editor, teacher_of
from ..quick_actions import CancelSessionForm, MoveSessionForm, PlacesForm, day_name

if TYPE_CHECKING:
    from datetime import date
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from ..models.courses import CourseQuerySet

    class _Dates(TypedDict):
        """What ``CourseQuerySet.with_dates`` adds to each course of the admin's queryset."""

        next_date: date | None


class SessionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        dates = [
            form.cleaned_data["date"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and not form.cleaned_data.get("is_cancelled")
            and form.cleaned_data.get("date")
        ]
        if problem := publishing_problem(self.instance.is_published, dates):
            raise ValidationError(problem)

    def save_existing(self, form, obj, commit: bool = True):
        """A session moved or cancelled here tells the people who are coming, as a quick action does."""
        was = {name: form.initial.get(name) for name in ("date", "start_time", "end_time", "is_cancelled")}
        saved = super().save_existing(form, obj, commit)
        if all(value is not None for value in was.values()):
            bookings.session_changed(saved, was=was)
        return saved


class SessionInline(TranslationStackedInline):
    # Stacked, not tabular: every field keeps its own label, for screen readers and narrow phones.
    # The reason for cancelling is typed in English and Welsh side by side, like the course's text.
    model = Session
    formset = SessionFormSet
    fields = [("date", "start_time", "end_time"), ("is_cancelled", "cancellation_reason")]
    extra = 1
    verbose_name_plural = _("Sessions (tick “cancelled” and give a reason to cancel one)")


@admin.register(Course)
class CourseAdmin(LabelledListEditableMixin, NotFoundForOthersMixin, TranslationAdmin):
    list_display = [
        "title",
        "next_session",
        "places_left",
        "places_by_phone",
        "booking_status",
        "is_published",
        has_welsh,
    ]
    list_display_links = ["title"]
    list_editable = ["places_by_phone", "booking_status"]
    # Both languages' titles, whichever language the admin is in (a bare "title" means the active one's).
    search_fields = ["title_en_gb", "title_cy", "venue__name", "venue__town"]
    prepopulated_fields = {"slug": ["title"]}
    # Plain selects and tick boxes, not autocomplete boxes: they have proper labels, work with a
    # phone's own picker and need no JavaScript. A local site has a few dozen teachers and venues.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [SessionInline]
    actions = ["repeat_course"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "teachers", "description", "level", "language"]}),
        (_("When and where"), {"fields": ["venue", "weekday", "start_time", "end_time"]}),
        (
            _("Places and booking"),
            {
                "fields": [
                    "price",
                    "concessions",
                    "capacity",
                    "places_by_phone",
                    "places_left",
                    "booking_status",
                    "how_to_book",
                    "is_published",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        # Default ordering is dropped from GROUP BY queries, so say it again.
        # The model's manager makes a CourseQuerySet; ModelAdmin's stub says only QuerySet.
        courses = cast("CourseQuerySet", super().get_queryset(request))
        courses = courses.with_dates().order_by(*(Course._meta.ordering or ()))
        return courses if is_editor(request.user) else courses.taught_by(request.user)

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = ["booking_status", "is_published", "language", MissingWelshFilter]
        return [*filters, "teachers"] if is_editor(request.user) else filters

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if not is_editor(request.user) and lookup.startswith("teachers"):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_readonly_fields(self, request: HttpRequest, obj: Course | None = None) -> list[str]:
        # A teacher's courses are theirs: the teachers field is not even in their form, so
        # a forged value in a POST has nothing to bind to. Places left are counted, not typed.
        return ["places_left"] if is_editor(request.user) else ["places_left", "teachers"]

    def has_change_permission(self, request: HttpRequest, obj: Course | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Course | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Course | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._may_manage(request, obj)

    def _may_manage(self, request: HttpRequest, obj: Course | None) -> bool:
        if obj is None or obj.pk is None or is_editor(request.user):
            return True
        return Course.objects.taught_by(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request: HttpRequest, obj: Course, form, change: bool) -> None:
        if not change:
            obj.places_left = obj.capacity  # counted again in save_related, with the places by phone
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Capacity or places by phone may have changed: count places left, offer any freed place.
        bookings.refill(form.instance.pk)
        if not is_editor(request.user) and not change:
            profile = teacher_of(request.user)
            if profile is None:
                raise PermissionDenied(_("Your login is not linked to a teacher profile."))
            form.instance.teachers.add(profile)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if not super().has_add_permission(request):
            return False
        return is_editor(request.user) or teacher_of(request.user) is not None

    @admin.display(description=_("next session"), ordering="next_date")
    def next_session(self, course: WithAnnotations[Course, _Dates]) -> str:
        return date_format(course.next_date, "D j M Y") if course.next_date else "—"

    # --- Repeat this course --------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("guide/", view(self.guide_view), name="classes_course_guide"),
            path("<path:object_id>/repeat/", view(self.repeat_view), name="classes_course_repeat"),
            path("<path:object_id>/places/", view(self.places_view), name="classes_course_places"),
            path(
                "<path:object_id>/sessions/<int:session_id>/cancel/",
                view(self.cancel_session_view),
                name="classes_course_cancel_session",
            ),
            path(
                "<path:object_id>/sessions/<int:session_id>/move/",
                view(self.move_session_view),
                name="classes_course_move_session",
            ),
            *super().get_urls(),
        ]

    # --- The start page's quick actions (classes/quick_actions.py) ------------------

    def guide_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("How to keep your course up to date"),
            "start": reverse("admin:index"),
        }
        return TemplateResponse(request, "admin/classes/course/guide.html", context)

    def places_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        course = self._course_to_change(request, object_id)
        form = PlacesForm(request.POST or None, instance=course)
        return self._quick_action(
            request, course, form, title=_("Places and booking for “%(title)s”") % {"title": course.title}
        )

    def cancel_session_view(self, request: HttpRequest, object_id: str, session_id: int) -> HttpResponse:
        course = self._course_to_change(request, object_id)
        session = get_object_or_404(course.sessions, pk=session_id)
        form = CancelSessionForm(request.POST or None, instance=session)
        title = _("Cancel the session on %(day)s") % {"day": day_name(session.date)}
        return self._quick_action(request, course, form, title=title, session=session)

    def move_session_view(self, request: HttpRequest, object_id: str, session_id: int) -> HttpResponse:
        course = self._course_to_change(request, object_id)
        session = get_object_or_404(course.sessions, pk=session_id)
        form = MoveSessionForm(request.POST or None, instance=session)
        title = _("Move the session on %(day)s") % {"day": day_name(session.date)}
        return self._quick_action(request, course, form, title=title, session=session)

    def _course_to_change(self, request: HttpRequest, object_id: str) -> Course:
        course = self.get_object(request, unquote(object_id))  # another teacher's course: 404
        if not self.has_change_permission(request, course):
            raise PermissionDenied
        return course

    def _quick_action(
        self, request: HttpRequest, course: Course, form, *, title: str, session: Session | None = None
    ) -> HttpResponse:
        """Show the small form; on a valid POST save it, record it in the course history, say what readers see."""
        if request.method == "POST" and form.is_valid():
            form.save()
            if form.has_changed():
                self.log_change(request, course, form.history())
            self.message_user(request, form.readers_see(), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:index") + f"#course-{course.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "original": course,
            "session": session,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/classes/course/quick_action.html", context)

    @admin.action(description=_("Repeat this course from a new start date"), permissions=["add"])
    def repeat_course(self, request: HttpRequest, queryset: QuerySet[Course]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose one course to repeat."), messages.WARNING)
            return None
        return redirect("admin:classes_course_repeat", queryset.get().pk)

    def repeat_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        course = self.get_object(request, unquote(object_id))
        if not (self.has_add_permission(request) and self.has_view_permission(request, course)):
            raise PermissionDenied
        form = RepeatCourseForm(request.POST or None, course=course)
        if request.method == "POST" and form.is_valid():
            draft = course.repeat(
                start=form.cleaned_data["start"],
                weeks=form.cleaned_data["weeks"],
                skip=form.cleaned_data["skip"],
            )
            self.log_addition(request, draft, [{"added": {}}])
            first = draft.sessions.first()
            self.message_user(
                request,
                ngettext(
                    "“%(title)s” is copied as a draft with %(count)s weekly session from %(first)s. "
                    "Check the dates, then tick “show on the site”.",
                    "“%(title)s” is copied as a draft with %(count)s weekly sessions from %(first)s. "
                    "Check the dates, then tick “show on the site”.",
                    sessions := draft.sessions.count(),
                )
                % {
                    "title": draft.title,
                    "count": sessions,
                    "first": date_format(first.date, "l j F Y"),
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:classes_course_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Repeat “%(title)s”") % {"title": course.title},
            "opts": self.opts,
            "original": course,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/classes/course/repeat.html", context)
