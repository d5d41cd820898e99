from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from picture_pipeline import require_alt_text

from .markup import render_markdown
from .pictures import drawing_choices

# The column suffix of each language's copy of a translated field (exercises/translation.py).
LANGUAGE_COLUMNS = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
# The most a reminder plan holds (exercises/reminders.py has a time of day for each of 1 to 4).
MOST_TIMES_A_DAY = 4
MOST_REMINDER_DAYS = 28


class Category(models.Model):
    # modeltranslation swaps the default manager's class at run time for its own, which the
    # django-stubs plugin cannot find: the type it would infer, said here (no value: Django adds it).
    objects: ClassVar[models.Manager[Category]]
    _default_manager: ClassVar[models.Manager[Category]]

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:list") + f"?category={self.slug}"


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def published(self, now: datetime | None = None) -> ExerciseQuerySet:
        """Exercises the public may read: published, with a publish date already past."""
        return self.filter(status=Exercise.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def visible_to(self, user) -> ExerciseQuerySet:
        """Staff also see drafts and scheduled exercises (with a banner)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def for_listing(self) -> ExerciseQuerySet:
        return self.select_related("category").only(
            "title",
            "slug",
            "summary",
            "image",
            "image_width",
            "image_height",
            "drawing",
            "image_alt",
            "published_at",
            "status",
            "category__name",
            "category__slug",
        )

    def for_detail(self) -> ExerciseQuerySet:
        return self.select_related("category", "author").prefetch_related("steps")


if (
    TYPE_CHECKING
):  # the type of Exercise.objects, for the django-stubs plugin; as_manager() makes it at run time
    ExerciseManager = models.Manager.from_queryset(ExerciseQuerySet)


class PictureFields(models.Model):
    """An optional picture: an upload (checked and re-encoded as WebP, pictures.py) or one of our
    line drawings, with a description that is required once there is either (the one rule:
    ``pictures.source``). Exercise and Step; each names the folder its uploads go to."""

    image = models.ImageField(
        _("picture"),
        upload_to="exercises/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    drawing = models.CharField(_("line drawing"), max_length=100, blank=True, choices=drawing_choices)
    image_alt = models.CharField(_("picture description"), max_length=250, blank=True)
    image_alt_en_gb: str  # each language's copy of image_alt (exercises/translation.py)

    class Meta:
        abstract = True

    def clean(self) -> None:
        require_alt_text(self.image or self.drawing, self.image_alt_en_gb, "image_alt_en_gb")


class Exercise(PictureFields):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_(
            "One or two sentences: who it helps and what it feels like. Shown in lists and search results."
        ),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="exercises", verbose_name=_("category")
    )
    starting_position = models.TextField(
        _("starting position"), help_text=_("How to get ready, before the first step.")
    )
    repetitions = models.CharField(
        _("repetitions"), max_length=80, help_text=_('For example "about 20 times" or "5 slow breaths".')
    )
    frequency = models.CharField(
        _("how often"), max_length=80, help_text=_('For example "morning and night".')
    )
    duration = models.CharField(
        _("for how long"), max_length=120, help_text=_('For example "a few minutes, for a couple of days".')
    )
    # The dosage above as numbers, for readers' calendar reminders (exercises/reminders.py):
    # the words stay the editor's, these say when a calendar should remind.
    times_a_day = models.PositiveSmallIntegerField(
        _("times a day, for reminders"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MOST_TIMES_A_DAY)],
        help_text=_("“How often” as a number, from 1 to 4: 2 for “morning and night”."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days, for reminders"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MOST_REMINDER_DAYS)],
        help_text=_("“For how long” in days: 2 for “a couple of days”; 7 for an everyday exercise."),
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes each time"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long each reminder’s calendar entry lasts: 5 for “a few minutes”."),
    )
    cautions = models.TextField(
        _("when to stop"),
        help_text=_("When to stop or see a professional. One point per line."),
    )
    body = models.TextField(
        _("more about it"),
        blank=True,
        help_text=_("Optional longer text. Markdown: *emphasis*, **bold**, lists, [links](https://…)."),
    )
    body_html = models.TextField(editable=False, blank=True)
    # The picture's fields (PictureFields), with help for the editor of the starting position.
    image = models.ImageField(
        _("picture"),
        upload_to="exercises/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("A JPEG, PNG or WebP picture of the starting position. It replaces the line drawing."),
    )
    drawing = models.CharField(
        _("line drawing"),
        max_length=100,
        blank=True,
        choices=drawing_choices,
        help_text=_("One of the site's own line drawings, used when there is no uploaded picture."),
    )
    image_alt = models.CharField(
        _("picture description"),
        max_length=250,
        blank=True,
        help_text=_("Describe the position shown, for people who cannot see the picture."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("A date in the future schedules the exercise: it appears then."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exercises",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # modeltranslation swaps the manager's class at run time for one the django-stubs plugin cannot
    # find (a subclass it makes in a function): its type, said here, is what the plugin would infer.
    objects: ClassVar[ExerciseManager[Exercise]] = ExerciseQuerySet.as_manager()
    _default_manager: ClassVar[ExerciseManager[Exercise]]

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        indexes = [models.Index(fields=["status", "published_at"], name="exercise_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="exercise_published_has_date",
                violation_error_message=_("A published exercise needs a publish date."),
            ),
            models.CheckConstraint(
                condition=Q(times_a_day__gte=1, times_a_day__lte=MOST_TIMES_A_DAY),
                name="exercise_times_a_day_1_to_4",
                violation_error_message=_("Reminders can come from 1 to 4 times a day."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=MOST_REMINDER_DAYS, minutes__gte=1),
                name="exercise_reminder_days_and_minutes",
                violation_error_message=_(
                    "Reminders last from 1 to 28 days, for at least a minute each time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Each language's Markdown to its own HTML: a Welsh page never shows
        # the English body while a Welsh one is written.
        rendered = []
        for language in LANGUAGE_COLUMNS:
            setattr(
                self, f"body_html_{language}", render_markdown(getattr(self, f"body_{language}", "") or "")
            )
            rendered += [f"body_{language}", f"body_html_{language}"]
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", *rendered}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            # "Published" with no date means "now", as an editor expects.
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def comments_author_email(self) -> str:
        """Where the comments app sends approved comments on this exercise."""
        return self.author.email if self.author else ""

    @property
    def caution_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.cautions.splitlines() if line.strip(" -•\t")]


class Step(PictureFields):
    # modeltranslation swaps the default manager's class at run time for its own, which the
    # django-stubs plugin cannot find: the type it would infer, said here (no value: Django adds it).
    objects: ClassVar[models.Manager[Step]]
    _default_manager: ClassVar[models.Manager[Step]]

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("what to do"))
    image = models.ImageField(
        _("picture"),
        upload_to="exercises/steps/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.text[:60]


class HandoutQuerySet(models.QuerySet["Handout"]):
    def published(self) -> HandoutQuerySet:
        return self.filter(is_published=True)

    def containing(self, exercise: Exercise) -> HandoutQuerySet:
        return self.filter(items__exercise=exercise).distinct()


if (
    TYPE_CHECKING
):  # the type of Handout.objects, for the django-stubs plugin; as_manager() makes it at run time
    HandoutManager = models.Manager.from_queryset(HandoutQuerySet)


class Handout(models.Model):
    """A printable PDF of several exercises, composed by an editor (e.g. the back-care handout).

    The PDF is built from the exercises' own fields by ``exercises.handouts`` and
    kept in media storage; it is rebuilt (a task) whenever one of them changes.
    """

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Part of the PDF's address: keep it once published."),
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=_("A short paragraph at the top."))
    closing_note = models.TextField(
        _("closing note"), blank=True, help_text=_("A short paragraph at the end.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    pdf = models.FileField(_("PDF"), upload_to="handouts/", blank=True, editable=False)
    pdf_bytes = models.PositiveIntegerField(_("PDF size in bytes"), default=0, editable=False)
    pdf_pages = models.PositiveSmallIntegerField(_("PDF pages"), default=0, editable=False)
    pdf_etag = models.CharField(max_length=64, blank=True, editable=False)
    pdf_built_at = models.DateTimeField(_("PDF built"), null=True, blank=True, editable=False)
    build_error = models.CharField(_("last build error"), max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # modeltranslation swaps the manager's class at run time for one the django-stubs plugin cannot
    # find (a subclass it makes in a function): its type, said here, is what the plugin would infer.
    objects: ClassVar[HandoutManager[Handout]] = HandoutQuerySet.as_manager()
    _default_manager: ClassVar[HandoutManager[Handout]]

    class Meta:
        ordering = ["title"]
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercises:handout", kwargs={"slug": self.slug})

    def built(self, language: str) -> BuiltPdf | None:
        """The PDF stored for ``language`` (its own columns, no fallback), or None if never built."""
        stored = getattr(self, build_localized_fieldname("pdf", language))
        if not stored:
            return None

        def value(name: str) -> Any:
            return getattr(self, build_localized_fieldname(name, language))

        return BuiltPdf(
            language=language,
            file=stored,
            size=value("pdf_bytes"),
            pages=value("pdf_pages"),
            etag=value("pdf_etag"),
            built_at=value("pdf_built_at"),
        )

    def pdf_for(self, language: str) -> BuiltPdf | None:
        """What a reader of ``language`` gets: that language's PDF, else the English one."""
        return self.built(language) or self.built(settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class BuiltPdf:
    """One language's stored build of a handout."""

    language: str
    file: Any  # a FieldFile
    size: int
    pages: int
    etag: str
    built_at: datetime | None

    @property
    def kilobytes(self) -> int:
        return max(1, round(self.size / 1024))


class HandoutItem(models.Model):
    handout = models.ForeignKey(Handout, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="handout_items", verbose_name=_("exercise")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("exercise in the handout")
        verbose_name_plural = _("exercises in the handout, in order")
        constraints = [
            models.UniqueConstraint(
                fields=["handout", "exercise"],
                name="handout_exercise_once",
                violation_error_message=_("This exercise is already in the handout."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise}"


class SearchDocument(models.Model):
    """What search reads of one exercise, kept by ``exercises.search`` (signals) as the exercise,
    its steps or its category change: per language, the title (A), the summary and category (B),
    and the rest (C: starting position, steps, when to stop, the body as text).

    The English columns hold the text as written: the database folds accents and stems it
    (SQLite FTS5's ``porter unicode61 remove_diacritics 2``, PostgreSQL's ``unaccent`` and
    ``english`` configuration). The Welsh columns hold each word already folded and followed by
    the radicals it could be a mutation of (``bilingual.words``): no database un-mutates Welsh.
    ``words`` is every word as written (folded), for "did you mean".
    On SQLite FTS5 tables follow this table by triggers (migration 0006); on PostgreSQL
    the two vector columns hold the weighted ``SearchVector`` of each language.
    """

    exercise = models.OneToOneField(Exercise, on_delete=models.CASCADE, related_name="search_document")
    en_a = models.TextField(blank=True)
    en_b = models.TextField(blank=True)
    en_c = models.TextField(blank=True)
    cy_a = models.TextField(blank=True)
    cy_b = models.TextField(blank=True)
    cy_c = models.TextField(blank=True)
    words = models.TextField(blank=True)
    # PostgreSQL only (empty on SQLite): the weighted vectors of each language, written with the
    # document (``exercises.search.refresh``) so a search reads them through a GIN index.
    en_vector = SearchVectorField(null=True, editable=False)
    cy_vector = SearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return self.en_a


class SearchWord(models.Model):
    """PostgreSQL only: each word of the search documents once, with a trigram index, for "did
    you mean" (``exercises.search``). Words are added as documents are written and never taken
    away: a word no longer in any exercise can be suggested only if its search finds something,
    and it never does. (SQLite lists its words from the FTS5 index itself.)"""

    word = models.TextField(unique=True)

    def __str__(self) -> str:
        return self.word
