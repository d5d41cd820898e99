"""Teachers, venues, courses and their dated sessions.

A course's first and last dates are not stored: they are read from its
sessions (``CourseQuerySet.with_dates``), so moving or cancelling a session can
never leave a stale "runs until" behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import photos

# Sessions outside these hours are almost certainly typing mistakes (7pm typed as 7am is
# caught by the teacher seeing it on the page; 3am is caught here).
EARLIEST_START = time(6, 0)
LATEST_END = time(23, 0)
LONGEST_SESSION = timedelta(hours=4)
FURTHEST_AHEAD = timedelta(days=2 * 365)


def require_alt_text(image, alt: str, field: str) -> None:
    """A picture without a description is invisible to screen-reader users."""
    if image and not (alt or "").strip():
        raise ValidationError({field: _("Describe the picture for people who cannot see it.")})


class Weekday(models.IntegerChoices):
    # The numbers are Python's date.weekday().
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Teacher(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("web address name"), max_length=100, unique=True)
    organisation = models.CharField(
        _("organisation"), max_length=120, blank=True, help_text=_("For example your yoga group.")
    )
    bio = models.TextField(_("about you"), help_text=_("A few sentences for readers: how you teach."))
    qualifications = models.TextField(_("qualifications"), blank=True, help_text=_("One per line."))
    # Only ever set through classes.photos (the admin's field and the data migration): checked,
    # re-encoded as WebP without metadata and named after its content, never the upload's name.
    photo = models.ImageField(
        _("photo"),
        upload_to="teachers/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=_(
            "A JPEG, PNG or WebP photo. The site saves a copy without the camera’s details or where it "
            "was taken."
        ),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    email = models.EmailField(
        _("e-mail"), help_text=_("Enquiries from the site are sent here. Shown only if you tick below.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    show_email = models.BooleanField(_("show my e-mail address on the site"), default=False)
    show_phone = models.BooleanField(_("show my phone number on the site"), default=False)
    show_website = models.BooleanField(_("show my website on the site"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher_profile",
        verbose_name=_("login"),
        help_text=_("The admin login this teacher uses to keep their courses up to date."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classes:teacher", kwargs={"slug": self.slug})

    def clean(self) -> None:
        require_alt_text(self.photo, self.photo_alt_en_gb, "photo_alt_en_gb")
        errors = {}
        if self.show_phone and not self.phone:
            errors["phone"] = _("Add a phone number, or untick “show my phone number”.")
        if self.show_website and not self.website:
            errors["show_website"] = _("Add a website, or untick “show my website”.")
        if errors:
            raise ValidationError(errors)

    @property
    def photo_srcset(self) -> str:
        """The photo and its narrower copies, for ``srcset``; empty without a re-encoded photo."""
        return photos.srcset(self.photo, self.photo_width) if self.photo and self.photo_width else ""

    @property
    def qualification_list(self) -> list[str]:
        return [line.strip() for line in self.qualifications.splitlines() if line.strip()]

    @property
    def public_phone(self) -> str:
        return self.phone if self.show_phone else ""

    @property
    def public_email(self) -> str:
        return self.email if self.show_email else ""

    @property
    def public_website(self) -> str:
        return self.website if self.show_website else ""


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=120)
    is_online = models.BooleanField(
        _("online"), default=False, help_text=_("Tick for classes held by video call.")
    )
    address = models.TextField(_("address"), blank=True)
    town = models.CharField(_("town"), max_length=60, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    mats_provided = models.BooleanField(_("mats provided"), default=False)
    chairs_available = models.BooleanField(
        _("chairs available"), default=False, help_text=_("For people who cannot get down to the floor.")
    )
    accessibility_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Stairs, lighting, the nearest bus stop…")
    )

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_online=True) | ~Q(town=""),
                name="venue_in_person_has_town",
                violation_error_message=_("A venue that is not online needs a town."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_together",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({_('online')})" if self.is_online else f"{self.name}, {self.town}"

    @property
    def access_features(self) -> list[tuple[str, bool]]:
        """Every accessibility question with its answer, so "no" is said as plainly as "yes"."""
        return [
            (str(self._meta.get_field(name).verbose_name).capitalize(), getattr(self, name))
            for name in (
                "step_free_access",
                "parking",
                "accessible_toilet",
                "mats_provided",
                "chairs_available",
            )
        ]

    @property
    def one_line_address(self) -> str:
        parts = [*self.address.splitlines(), self.town, self.postcode]
        return ", ".join(part.strip() for part in parts if part.strip())


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
            self.filter(Exists(still_to_come)).with_dates(today).order_by("first_date", "next_date", "title")
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
    places_left = models.PositiveSmallIntegerField(
        _("places left"), help_text=_("Update it when someone books: readers see “3 of 10 left”.")
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

    objects = CourseQuerySet.as_manager()

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
        if self.is_cancelled and not (self.cancellation_reason_en_gb or "").strip():
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


class Enquiry(models.Model):
    """A message to a teacher from the enquiry form, kept until it has been delivered.

    Saved before anything else happens, so a failed spam check or a mail server
    that is down never loses what someone wrote; ``classes.tasks`` checks and sends it.
    """

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        HAM = "ham", _("Not spam")
        SPAM = "spam", _("Spam")
        DISCARD = "discard", _("Blatant spam")
        UNKNOWN = "unknown", _("Could not be checked")

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="enquiries")
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    # The language of the page the form was on: Akismet is told it, and the
    # teacher is told which language to answer in.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    referrer = models.CharField(_("came from"), max_length=400, blank=True)
    verdict = models.CharField(_("spam check"), max_length=10, choices=Verdict, default=Verdict.PENDING)
    check_detail = models.CharField(_("spam check detail"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.CharField(_("last sending error"), max_length=300, blank=True)
    held_reason = models.CharField(
        _("held for an editor because"),
        max_length=300,
        blank=True,
        help_text=_("Not sent to the teacher until an editor chooses “Send to the teacher again”."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    answered_at = models.DateTimeField(
        _("answered"), null=True, blank=True, help_text=_("When the teacher marked it answered.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return f"{self.name} → {self.teacher}"

    @property
    def should_send(self) -> bool:
        """Ham goes to the teacher, and so does anything Akismet could not judge: no real message is lost.

        A held enquiry (warning signs of a back emergency) waits for an editor instead.
        """
        return not self.held_reason and self.verdict in {self.Verdict.HAM, self.Verdict.UNKNOWN}


# --- Course alerts ("tell me when the next course starts") --------------------


class AlertSubscriptionQuerySet(models.QuerySet["AlertSubscription"]):
    def confirmed(self) -> AlertSubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> AlertSubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def matching(self, course: Course) -> AlertSubscriptionQuerySet:
        """The sign-ups a newly published course answers: its teacher's, its town's, its language's."""
        venue = course.venue
        where = Q(town="") | (Q(town=ONLINE_TOWN) if venue.is_online else Q(town__iexact=venue.town))
        who = Q(teacher__isnull=True) | Q(teacher__in=course.teachers.all())
        wanted = {
            Course.Language.ENGLISH: ["", "en"],
            Course.Language.WELSH: ["", "cy"],
            Course.Language.BILINGUAL: ["", "en", "cy"],
        }.get(course.language, [""])
        return self.filter(where, who, language__in=wanted)

    def waiting_for(self, teacher: Teacher) -> dict[str, int]:
        """How many addresses wait for this teacher's next course, without revealing any of them."""
        towns = list(
            Venue.objects.filter(courses__teachers=teacher, is_online=False).values_list("town", flat=True)
        )
        online = Venue.objects.filter(courses__teachers=teacher, is_online=True).exists()
        confirmed = self.confirmed()
        by_town = confirmed.filter(teacher__isnull=True).exclude(town="")
        by_town = by_town.filter(
            Q(town__in=[town for town in towns if town]) | (Q(town=ONLINE_TOWN) if online else Q(pk__in=[]))
        )
        parts = {
            "teacher": confirmed.filter(teacher=teacher),
            "town": by_town,
            "any": confirmed.filter(teacher__isnull=True, town=""),
        }
        counts = {name: qs.values("email").distinct().count() for name, qs in parts.items()}
        counts["total"] = (parts["teacher"] | parts["town"] | parts["any"]).values("email").distinct().count()
        return counts


ONLINE_TOWN = "online"


class AlertSubscription(models.Model):
    """One person's wish to hear about new courses: by a teacher, in a town, or any course.

    Nothing is sent until ``confirmed_at`` is set through the signed link e-mailed
    to the address (double opt-in); unconfirmed sign-ups are deleted after
    ``CLASSES_ALERT_CONFIRM_DAYS``. The address the sign-up came from is kept only
    for the spam check and cleared on confirmation.
    """

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        HAM = "ham", _("Not spam")
        SPAM = "spam", _("Spam")
        UNKNOWN = "unknown", _("Could not be checked")

    email = models.EmailField(_("e-mail"))
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("teacher"),
        help_text=_("Empty: any teacher."),
    )
    town = models.CharField(_("town"), max_length=60, blank=True, help_text=_("Empty: anywhere."))
    language = models.CharField(
        _("course language"),
        max_length=12,
        blank=True,
        choices=[("en", _("English")), ("cy", _("Welsh"))],
        help_text=_("Empty: any language. Bilingual courses count for both."),
    )
    site_language = models.CharField(
        _("language of the e-mails"), max_length=12, default="en-gb", editable=False
    )
    verdict = models.CharField(_("spam check"), max_length=10, choices=Verdict, default=Verdict.PENDING)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last alert sent"), null=True, blank=True)
    # When the last confirmation link was e-mailed: while the shared cache is down, the
    # database counts these e-mails (not the sign-ups made) to keep one inbox's limit.
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mailed"), null=True, blank=True, editable=False
    )

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("course alert")
        verbose_name_plural = _("course alerts")
        constraints = [
            models.UniqueConstraint(
                "email",
                Coalesce("teacher", models.Value(0)),
                "town",
                "language",
                name="alert_one_per_choice",
                violation_error_message=_("This address already asked for these alerts."),
            ),
            models.CheckConstraint(
                condition=Q(teacher__isnull=True) | Q(town=""),
                name="alert_teacher_or_town",
                violation_error_message=_("Choose a teacher or a town, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.choice_label}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def choice_label(self) -> str:
        if self.teacher_id:
            label = _("new courses by %(teacher)s") % {"teacher": self.teacher.name}
        elif self.town == ONLINE_TOWN:
            label = str(_("new online courses"))
        elif self.town:
            label = _("new courses in %(town)s") % {"town": self.town}
        else:
            label = str(_("any new course"))
        if self.language:
            label += " (" + str(dict(self._meta.get_field("language").choices)[self.language]) + ")"
        return label


class PendingAlert(models.Model):
    """A course a confirmed subscriber has not yet been told about; deleted once the e-mail is sent."""

    subscription = models.ForeignKey(AlertSubscription, on_delete=models.CASCADE, related_name="pending")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pending_alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "course"], name="pending_alert_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} → {self.subscription_id}"


class AnnouncedCourse(models.Model):
    """A course whose alerts have been queued: however often it is saved, it is announced once."""

    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, primary_key=True, related_name="announced"
    )
    announced_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.course_id} announced {self.announced_at:%Y-%m-%d}"
