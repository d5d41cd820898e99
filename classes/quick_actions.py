"""The teacher's one-tap changes from the admin start page: cancel or move a session, update places.

Each form applies the same rules as the full course form (the model's own
validation, one session per day, the publishing rule), and describes its
change twice: for the course history, in the words Django's own forms use
(so the history reads the same whichever way the change was made), and for
the teacher, as what readers now see. Moving or cancelling a session queues a notice for
every confirmed place (``classes.bookings.session_changed``), in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import bookings
from .models import Booking, Course, Session, publishing_problem

if TYPE_CHECKING:
    from django.db.models import Field

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def day_name(day: date) -> str:
    """ "Wednesday 2 December": how the site names a session's day."""
    return date_format(day, "l j F")


def change_message(obj: Course | Session | Booking, field_names: list[str]) -> list[dict[str, Any]]:
    """A LogEntry message in the shape the admin's own forms and inlines write.

    Untranslated, as Django writes its own (the history translates it when shown), so a
    change made from a Welsh admin reads the same as one made from an English one.
    """
    with translation.override(None):
        # Each name is one of the model's own fields; get_field cannot know that from a string.
        fields = [cast("Field[Any, Any]", obj._meta.get_field(name)) for name in field_names]
        labels = [str(capfirst(field.verbose_name)) for field in fields]
        if isinstance(obj, Session):
            return [
                {"changed": {"name": str(Session._meta.verbose_name), "object": str(obj), "fields": labels}}
            ]
        return [{"changed": {"fields": labels}}]


def _refuse_unpublishing(session: Session, *, date_after: date | None) -> None:
    """The full form's publishing rule: a course on the site keeps at least one date to come."""
    others = session.course.sessions.exclude(pk=session.pk).filter(is_cancelled=False)
    dates = [*others.values_list("date", flat=True), *([date_after] if date_after else [])]
    if problem := publishing_problem(session.course.is_published, dates):
        raise ValidationError(problem)


class SessionNoticeMixin(forms.ModelForm):
    """Saving the change also queues the notices to the people who are coming."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.was = bookings.before(self.instance)

    def save(self, commit: bool = True) -> Session:
        with transaction.atomic():
            session = super().save(commit)
            self.notices = bookings.session_changed(session, was=self.was)
        return session

    def told(self) -> str:
        if not self.notices:
            return ""
        return " " + ngettext(
            "%(count)s person who is coming is being e-mailed.",
            "%(count)s people who are coming are being e-mailed.",
            self.notices,
        ) % {"count": self.notices}


class CancelSessionForm(SessionNoticeMixin, forms.ModelForm):
    submit_label = gettext_lazy("Cancel this session")

    class Meta:
        model = Session
        # Both languages side by side: the Welsh page shows the English, marked as English,
        # only when the Welsh is left empty.
        fields = ["cancellation_reason_en_gb", "cancellation_reason_cy"]
        labels = {
            "cancellation_reason_en_gb": gettext_lazy("Why is it cancelled?"),
            "cancellation_reason_cy": gettext_lazy("Why is it cancelled, in Welsh?"),
        }
        help_texts = {
            "cancellation_reason_en_gb": gettext_lazy(
                "Readers see this next to the date, for example “teacher away” or “hall closed”."
            ),
            "cancellation_reason_cy": gettext_lazy(
                "Welsh pages show the English reason while this is empty."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cancellation_reason_en_gb"].required = True
        self.instance.is_cancelled = True

    def clean(self) -> dict[str, Any]:
        super().clean()  # returns cleaned_data, which django-stubs types as optional
        _refuse_unpublishing(self.instance, date_after=None)
        return self.cleaned_data

    def history(self) -> list[dict[str, Any]]:
        return change_message(self.instance, ["is_cancelled", "cancellation_reason"])

    def readers_see(self) -> str:
        return (
            _("Readers now see %(day)s as cancelled: %(reason)s.")
            % {
                "day": day_name(self.instance.date),
                "reason": self.instance.cancellation_reason,
            }
            + self.told()
        )


class MoveSessionForm(SessionNoticeMixin, forms.ModelForm):
    submit_label = gettext_lazy("Move this session")

    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time"]
        labels = {
            "date": gettext_lazy("New date"),
            "start_time": gettext_lazy("Starts at"),
            "end_time": gettext_lazy("Ends at"),
        }
        widgets = {"date": DATE_INPUT, "start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.moved_from = self.instance.date

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if self.instance.course.sessions.exclude(pk=self.instance.pk).filter(date=day).exists():
            raise ValidationError(_("This course already has a session on that date."))
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()  # returns cleaned_data, which django-stubs types as optional
        data = self.cleaned_data
        if data.get("date") and not self.instance.is_cancelled:
            _refuse_unpublishing(self.instance, date_after=data["date"])
        return data

    def history(self) -> list[dict[str, Any]]:
        return change_message(self.instance, self.changed_data)

    def readers_see(self) -> str:
        session = self.instance
        return (
            _("Readers now see the session of %(old)s on %(new)s, %(start)s to %(end)s.")
            % {
                "old": day_name(self.moved_from),
                "new": day_name(session.date),
                "start": session.start_time.strftime("%H:%M"),
                "end": session.end_time.strftime("%H:%M"),
            }
            + self.told()
        )


class PlacesForm(forms.ModelForm):
    """Places taken by phone and the booking status; places left are counted from them and from
    the places confirmed on the site (``classes.bookings.recount``)."""

    submit_label = gettext_lazy("Save places and booking")

    class Meta:
        model = Course
        fields = ["places_by_phone", "booking_status"]
        widgets = {"places_by_phone": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})}

    def clean_places_by_phone(self) -> int:
        places: int = self.cleaned_data["places_by_phone"]
        course = self.instance
        on_site = course.bookings.filter(status__in=bookings.HOLDING).count()
        if places + on_site > course.capacity:
            raise ValidationError(
                ngettext(
                    "This course has %(capacity)s place in total and %(on_site)s taken on the site: "
                    "give a number up to %(most)s.",
                    "This course has %(capacity)s places in total and %(on_site)s taken on the site: "
                    "give a number up to %(most)s.",
                    course.capacity,
                )
                % {"capacity": course.capacity, "on_site": on_site, "most": max(course.capacity - on_site, 0)}
            )
        return places

    def save(self, commit: bool = True) -> Course:
        with transaction.atomic():
            course = super().save(commit)
            # Readers' places left follow from the new number (and may go to the waiting list).
            self.instance = bookings.refill(course.pk)
        return self.instance

    def history(self) -> list[dict[str, Any]]:
        return change_message(self.instance, self.changed_data)

    def readers_see(self) -> str:
        course = self.instance
        if not course.is_published:
            return _("Saved. “%(title)s” is a draft, so readers do not see it yet.") % {"title": course.title}
        return ngettext(
            "Readers now see “%(title)s” with %(places)s place left: %(status)s.",
            "Readers now see “%(title)s” with %(places)s places left: %(status)s.",
            course.places_left,
        ) % {
            "title": course.title,
            "places": course.places_left,
            "status": course.get_booking_status_display(),
        }
