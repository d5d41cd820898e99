"""Courses and their dated sessions, with the rules for times and for publishing.

A course's first and last dates are not stored: they are read from its
sessions (``CourseQuerySet.with_dates``), so moving or cancelling a session can
never leave a stale "runs until" behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bilingual.languages import english_text

from .teachers import Teacher
from .venues import Venue

# Sessions outside these hours are almost certainly typing mistakes (7pm typed as 7am is
# caught by the teacher seeing it on the page; 3am is caught here).
EARLIEST_START = time(6, 0)
LATEST_END = time(23, 0)
LONGEST_SESSION = timedelta(hours=4)
FURTHEST_AHEAD = timedelta(days=2 * 365)


class Weekday(models.IntegerChoices):
    # The numbers are Python's date.weekday().
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DatedCourse(Protocol):
    """A course read through ``CourseQuerySet.with_dates()``: the dates it annotates."""

    first_date: date
    next_date: date


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)

    def with_dates(self, today: date | None = None) -> CourseQuerySet:
        """First, last and next meeting dates and the number of meetings, from the sessions.

        Cancelled sessions do not count: a course whose first week is cancelled starts
        the week after.
        """
        today = today or timezone.localdate()
        held = Q(sessions__is_cancelled=False)
        return self.annotate(
            first_date=Min("sessions__date", filter=held),
            last_date=Max("sessions__date", filter=held),
            next_date=Min("sessions__date", filter=held & Q(sessions__date__gte=today)),
            session_count=Count("sessions", filter=held, distinct=True),
        )

    def upcoming(self, today: date | None = None) -> CourseQuerySet:
        """Courses with a session still to come, soonest first; a course drops off after its last."""
        today = today or timezone.localdate()
        still_to_come = Session.objects.filter(course=OuterRef("pk"), is_cancelled=False, date__gte=today)
        return (
            self.filter(Exists(still_to_come))
            .with_dates(today)
            .order_by(F("first_date").asc(), F("next_date").asc(), "title")
        )

    def taught_by(self, user) -> CourseQuerySet:
        """The courses a login may manage in the admin: those where it is one of the teachers."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(teachers__user=user).distinct()

    def for_listing(self) -> CourseQuerySet:
        return self.select_related("venue").prefetch_related(
            models.Prefetch("teachers", queryset=Teacher.objects.only("name", "slug"))
        )

    def for_detail(self) -> CourseQuerySet:
        return self.with_dates().select_related("venue").prefetch_related("teachers", "sessions")


if (
    TYPE_CHECKING
):  # the type of Course.objects, for the django-stubs plugin; as_manager() makes it at run time
    CourseManager = models.Manager.from_queryset(CourseQuerySet)


class Course(models.Model):
    class Level(models.TextChoices):
        BEGINNERS = "beginners", _("Beginners")
        ALL = "all", _("All levels")
        IMPROVERS = "improvers", _("Improvers")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")
        BILINGUAL = "bilingual", _("Bilingual (Welsh and English)")

    class BookingStatus(models.TextChoices):
        OPEN = "open", _("Open for booking")
        FEW_PLACES = "few", _("Few places left")
        FULL = "full", _("Full")
        WAITING_LIST = "waiting", _("Full: waiting list open")
        CANCELLED = "cancelled", _("Course cancelled")

    title = models.CharField(
        _("title"), max_length=120, help_text=_("As readers see it, for example “Yoga for backs in Borth”.")
    )
    slug = models.SlugField(
        _("web address name"),
        max_length=120,
        unique=True,
        help_text=_(
            "The end of the course’s web address, made from the title. Once the course is on the "
            "site, leave it as it is: links people saved would stop working."
        ),
    )
    description = models.TextField(
        _("description"), help_text=_("What a session is like and who it suits, in a few sentences.")
    )
    teachers = models.ManyToManyField(
        Teacher,
        related_name="courses",
        verbose_name=_("teachers"),
        help_text=_("Who teaches it. Each teacher ticked here can change the course."),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("venue"),
        help_text=_("Where it meets. If your venue is not in the list, ask the editor to add it."),
    )
    level = models.CharField(
        _("level"), max_length=12, choices=Level, default=Level.ALL, help_text=_("Who the course suits best.")
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_("The language you teach in."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        choices=Weekday,
        help_text=_(
            "The usual day. Each session below has its own date, so moving or cancelling one "
            "does not change this."
        ),
    )
    start_time = models.TimeField(_("usual start time"), help_text=_("For example 19:00."))
    end_time = models.TimeField(_("usual end time"), help_text=_("For example 20:15."))
    price = models.DecimalField(
        _("price for the course (£)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0 for free courses."),
    )
    concessions = models.CharField(
        _("concessions"),
        max_length=200,
        blank=True,
        help_text=_("For example “£45 for students and over-65s”."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places in total"),
        validators=[MinValueValidator(1)],
        help_text=_("How many people the class can take."),
    )
    places_by_phone = models.PositiveSmallIntegerField(
        _("places taken by phone"),
        default=0,
        help_text=_(
            "Places you gave away yourself, by phone or in person. Places asked for on the site count on their own."
        ),
    )
    # Kept by classes.bookings.recount: places in total less those taken by phone, those
    # confirmed on the site and those offered from the waiting list.
    places_left = models.PositiveSmallIntegerField(
        _("places left"), help_text=_("Counted for you from confirmed places and places taken by phone.")
    )
    booking_status = models.CharField(
        _("booking"),
        max_length=10,
        choices=BookingStatus,
        default=BookingStatus.OPEN,
        help_text=_("When no places are left, choose “Full”, or the waiting list if you keep one."),
    )
    how_to_book = models.TextField(
        _("how to book"), help_text=_("What someone should do to get a place, in a sentence or two.")
    )
    is_published = models.BooleanField(
        _("show on the site"),
        default=False,
        help_text=_("Tick to show the course to readers. It needs at least one date from today on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # modeltranslation swaps the manager's class at run time for one the django-stubs plugin cannot
    # find (a subclass it makes in a function): its type, said here, is what the plugin would infer.
    objects: ClassVar[CourseManager[Course]] = CourseQuerySet.as_manager()
    _default_manager: ClassVar[CourseManager[Course]]

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [("manage_all_courses", _("Can see and change every teacher’s courses"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="course_ends_after_start",
                violation_error_message=_("The usual end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(places_left__lte=F("capacity")),
                name="course_places_left_within_capacity",
                violation_error_message=_("There cannot be more places left than places in total."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classes:course", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.start_time and self.end_time:
            check_session_times(self.start_time, self.end_time)
        # The title is an e-mail subject too (course alerts): one line, in each language's field.
        titles = [field.name for field in self._meta.fields if field.name.startswith("title_")] or ["title"]
        broken = {
            name: _("A course title is one line: remove the line break.")
            for name in titles
            if len(str(getattr(self, name) or "").splitlines()) > 1
        }
        if broken:
            raise ValidationError(broken)
        if self.capacity is not None and self.places_by_phone > self.capacity:
            raise ValidationError(
                {"places_by_phone": _("There cannot be more places taken by phone than places in total.")}
            )

    @property
    def is_bookable(self) -> bool:
        return self.booking_status in {self.BookingStatus.OPEN, self.BookingStatus.FEW_PLACES}

    @property
    def duration(self) -> timedelta:
        return datetime.combine(date.min, self.end_time) - datetime.combine(date.min, self.start_time)

    def publishing_problem(self, today: date | None = None) -> str:
        """Why this course may not be shown on the site yet, from its saved sessions; "" if it may."""
        dates = self.sessions.filter(is_cancelled=False).values_list("date", flat=True)
        return publishing_problem(self.is_published, dates, today=today)

    def weekly_dates(self, start: date, weeks: int, skip: Iterable[date] = ()) -> list[date]:
        """``weeks`` dates on this course's weekday from ``start``, stepping over the ``skip`` dates."""
        skip = set(skip)
        first = start + timedelta(days=(self.weekday - start.weekday()) % 7)
        dates: list[date] = []
        day = first
        while len(dates) < weeks:
            if day not in skip:
                dates.append(day)
            day += timedelta(weeks=1)
        return dates

    def repeat(self, *, start: date, weeks: int, skip: Iterable[date] = ()) -> Course:
        """A copy of this course as an unpublished draft, with weekly sessions from ``start``."""
        copy = Course.objects.get(pk=self.pk)
        copy.pk = None
        copy._state.adding = True
        copy.slug = unique_slug(f"{self.slug[:100]}-{start:%Y-%m}")
        copy.is_published = False
        copy.places_left = copy.capacity
        copy.places_by_phone = 0
        copy.booking_status = Course.BookingStatus.OPEN
        copy.save()
        copy.teachers.set(self.teachers.all())
        Session.objects.bulk_create(
            Session(course=copy, date=day, start_time=self.start_time, end_time=self.end_time)
            for day in self.weekly_dates(start, weeks, skip)
        )
        return copy


def unique_slug(base: str) -> str:
    slug = slugify(base)[:110] or "course"
    candidate, n = slug, 2
    while Course.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def publishing_problem(is_published: bool, dates: Iterable[date], *, today: date | None = None) -> str:
    """The one rule for publishing, shared by the model and the admin's session formset."""
    today = today or timezone.localdate()
    if is_published and not any(day >= today for day in dates):
        return str(
            _(
                "A course shown on the site needs at least one session from today on. Add a date, or untick “show on the site”."
            )
        )
    return ""


def check_session_times(start: time, end: time) -> None:
    if end <= start:
        raise ValidationError({"end_time": _("The end time must be after the start time.")})
    if start < EARLIEST_START or end > LATEST_END:
        raise ValidationError(
            _("Sessions must run between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_START.strftime("%H:%M"), "latest": LATEST_END.strftime("%H:%M")}
        )
    if datetime.combine(date.min, end) - datetime.combine(date.min, start) > LONGEST_SESSION:
        raise ValidationError({"end_time": _("A session can be at most four hours long.")})


class Session(models.Model):
    # modeltranslation swaps the default manager's class at run time for its own, which the
    # django-stubs plugin cannot find: the type it would infer, said here (no value: Django adds it).
    objects: ClassVar[models.Manager[Session]]
    _default_manager: ClassVar[models.Manager[Session]]

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(
        _("date"), help_text=_("Change it to move this one session; readers and calendars see the new date.")
    )
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("Tick to cancel this date only. It stays on the page, crossed out, with your reason."),
    )
    cancellation_reason = models.CharField(
        _("reason for cancelling"),
        max_length=200,
        blank=True,
        help_text=_("Shown to readers, for example “bank holiday” or “teacher unwell”."),
    )
    # Calendar apps replace an event they already have only when its SEQUENCE grows.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "date"],
                name="session_one_per_course_per_day",
                violation_error_message=_("This course already has a session on that date."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            # The reason has an English and a Welsh column (classes/translation.py); English is
            # required, as for every text readers see, and Welsh pages show it while Welsh is empty.
            models.CheckConstraint(
                condition=Q(is_cancelled=False)
                | (Q(cancellation_reason_en_gb__isnull=False) & ~Q(cancellation_reason_en_gb="")),
                name="session_cancellation_has_reason",
                violation_error_message=_("Say why the session is cancelled: readers see the reason."),
            ),
        ]

    def __str__(self) -> str:
        return date_format(self.date, "l j F Y") if self.date else str(_("New session"))

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            self.revision += 1
            if (update_fields := kwargs.get("update_fields")) is not None:
                kwargs["update_fields"] = {*update_fields, "revision", "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.start_time and self.end_time:
            try:
                check_session_times(self.start_time, self.end_time)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if self.is_cancelled and not english_text(self, "cancellation_reason").strip():
            errors.setdefault("cancellation_reason_en_gb", []).append(
                ValidationError(_("Say why the session is cancelled: readers see the reason."))
            )
        if self.date and self.date > timezone.localdate() + FURTHEST_AHEAD:
            errors.setdefault("date", []).append(
                ValidationError(_("That date is more than two years away: check the year."))
            )
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=timezone.get_default_timezone())

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=timezone.get_default_timezone())
