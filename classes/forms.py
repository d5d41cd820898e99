from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import FURTHEST_AHEAD, ONLINE_TOWN, Booking, Course, Enquiry, Teacher, Weekday


class CourseFilterForm(forms.Form):
    """The filters on /classes/: a plain GET form, so it works without JavaScript and links can share it."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    town = forms.ChoiceField(label=_("Town"), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any day")), *Weekday.choices],
    )
    teacher = forms.ChoiceField(label=_("Teacher"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Course.Language.choices]
    )

    def __init__(self, *args: Any, towns: list[str], teachers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["town"]).choices = [
            ("", _("Anywhere")),
            *[(town, town) for town in towns],
            (ONLINE_TOWN, _("Online")),
        ]
        cast(forms.ChoiceField, self.fields["teacher"]).choices = [("", _("Any teacher")), *teachers]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")

    def filter(self, courses):
        """The courses matching every valid choice; a choice that is not on the list is ignored."""
        if not self.is_bound:
            return courses
        # The search words (``q``) are matched afterwards, on the list: ``classes.search``.
        data = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        if (town := data.get("town")) == ONLINE_TOWN:
            courses = courses.filter(venue__is_online=True)
        elif town:
            courses = courses.filter(venue__town=town, venue__is_online=False)
        if (weekday := data.get("weekday")) is not None:
            courses = courses.filter(weekday=weekday)
        if teacher := data.get("teacher"):
            courses = courses.filter(pk__in=Course.objects.filter(teachers__slug=teacher).values("pk"))
        if language := data.get("language"):
            courses = courses.filter(language=language)
        return courses

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) not in ("", None) for name in self.fields)


class RepeatCourseForm(forms.Form):
    start = forms.DateField(
        label=_("First session"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date of the first session of the new course."),
    )
    weeks = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=30,
        help_text=_("How many weekly sessions the new course has. Skipped dates do not count."),
    )
    skip = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One date per line, such as bank holidays or your holiday, for example 25/08/2026."),
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["weeks"].initial = course.sessions.filter(is_cancelled=False).count() or 8

    @property
    def weekday_name(self) -> str:
        return str(Weekday(self.course.weekday).label)

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if start < timezone.localdate():
            raise ValidationError(_("Choose a date from today on."))
        if start > timezone.localdate() + FURTHEST_AHEAD / 2:
            raise ValidationError(_("That date is more than a year away: check the year."))
        if start.weekday() != self.course.weekday:
            raise ValidationError(
                _("This course meets on %(day)s: choose a %(day)s.") % {"day": self.weekday_name}
            )
        return start

    def clean_skip(self) -> set[date]:
        parse = forms.DateField().clean
        skip: set[date] = set()
        for line in self.cleaned_data["skip"].splitlines():
            if not line.strip():
                continue
            try:
                day = parse(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a date. Write one date per line, like 25/08/2026.")
                    % {"line": line.strip()}
                ) from None
            if day.weekday() != self.course.weekday:
                raise ValidationError(
                    _("%(date)s is not a %(day)s, so there is no session to skip that day.")
                    % {"date": date_format(day, "l j F Y"), "day": self.weekday_name}
                )
            skip.add(day)
        return skip

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "start" in data and "weeks" in data and "skip" in data:
            last = data["start"] + timedelta(weeks=data["weeks"] + len(data["skip"]))
            if last > timezone.localdate() + FURTHEST_AHEAD:
                raise ValidationError(_("That runs more than two years ahead: choose fewer sessions."))
        return data


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["name", "email", "phone", "course", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "phone": _("Your phone number (optional)"),
            "course": _("Which course are you asking about? (optional)"),
            "message": _("Your message"),
        }
        help_texts = {
            "email": _("The teacher replies to this address."),
            "message": _("For example: which course suits you, or anything the teacher should know."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "message": forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
        }

    def __init__(self, *args: Any, teacher, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_field = cast(forms.ModelChoiceField, self.fields["course"])
        course_field.queryset = teacher.courses.published().upcoming().only("title", "slug")
        course_field.empty_label = _("No particular course")
        cast(forms.CharField, self.fields["message"]).max_length = 3000


class AlertSignupForm(forms.Form):
    """ "Tell me when a new course starts": an address and one choice, as plain as a form can be."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send one e-mail to confirm, then at most one a day when a course opens."),
    )
    about = forms.ChoiceField(label=_("Tell me about"))
    language = forms.ChoiceField(
        label=_("In which language?"),
        required=False,
        choices=[("", _("Any language")), ("en", _("English")), ("cy", _("Welsh"))],
        help_text=_("Bilingual courses count for both."),
    )

    ANY = "any"

    def __init__(self, *args: Any, teachers: list[tuple[str, str]], towns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["about"]).choices = [
            (self.ANY, _("Any new course")),
            (
                _("A teacher’s new courses"),
                [(f"teacher:{slug}", _("Courses by %(name)s") % {"name": name}) for slug, name in teachers],
            ),
            (
                _("New courses in a place"),
                [
                    *[(f"town:{town}", _("Courses in %(town)s") % {"town": town}) for town in towns],
                    (f"town:{ONLINE_TOWN}", _("Online courses")),
                ],
            ),
        ]
        self.offers_language = "cy" in {code.split("-")[0] for code, _name in settings.LANGUAGES}
        if not self.offers_language:
            del self.fields["language"]

    def clean_about(self) -> tuple[str, str]:
        kind, _sep, value = self.cleaned_data["about"].partition(":")
        return kind, value

    @property
    def choice(self) -> dict[str, Any]:
        """The subscription fields the cleaned choice stands for."""
        kind, value = self.cleaned_data["about"]
        return {
            "teacher": Teacher.objects.get(slug=value) if kind == "teacher" else None,
            "town": value if kind == "town" else "",
            "language": self.cleaned_data.get("language", ""),
        }


class BookingForm(forms.ModelForm):
    """Ask for a place: no account, only what the teacher needs to know who is coming."""

    class Meta:
        model = Booking
        fields = ["name", "email", "phone", "note"]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "phone": _("Your phone number (optional)"),
            "note": _("Anything the teacher should know (optional)"),
        }
        help_texts = {
            "email": _("We e-mail you a link to confirm your request, then the teacher’s answer."),
            "phone": _("In case the teacher needs to reach you on the day."),
            "note": _("For example an injury, a recent operation, or if you need a chair."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.CharField, self.fields["note"]).max_length = 1000
