import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from bilingual.languages import HREFLANG

from . import follow, handouts, routines
from .models import LANGUAGE_COLUMNS, BuiltPdf, Category, Exercise, Handout, Step
from .structured_data import exercise_plan

logger = logging.getLogger(__name__)


class ExerciseListView(ListView):
    template_name = "exercises/exercise_list.html"
    context_object_name = "exercises"
    paginate_by = settings.EXERCISES_PER_PAGE

    def get_queryset(self) -> QuerySet[Exercise]:
        exercises = Exercise.objects.published().for_listing()
        self.query = self.request.GET.get("q", "").strip()[:100]
        if self.query:
            exercises = exercises.search(self.query)
        self.category = None
        if slug := self.request.GET.get("category"):
            self.category = get_object_or_404(Category, slug=slug)
            exercises = exercises.filter(category=self.category)
        return exercises

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            query=self.query,
            category=self.category,
            categories=Category.objects.all(),
            **kwargs,
        )


class ExerciseDetailView(DetailView):
    template_name = "exercises/exercise_detail.html"
    context_object_name = "exercise"

    def get_queryset(self) -> QuerySet[Exercise]:
        # The steps are read only if the page's kept parts are missing (``steps`` below).
        return Exercise.objects.visible_to(self.request.user).select_related("category", "author")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        exercise = self.object
        canonical_url = settings.SITE_URL + exercise.get_absolute_url()
        language = HREFLANG[self.request.LANGUAGE_CODE]

        def steps() -> QuerySet[Step]:
            """Called by the template (the head and the article), one query at most for both."""
            prefetch_related_objects([exercise], "steps")
            return exercise.steps.all()

        def structured_data() -> dict[str, Any]:
            steps()
            return exercise_plan(exercise, url=canonical_url, language=language)

        return super().get_context_data(
            canonical_url=canonical_url,
            steps=steps,
            structured_data=structured_data,
            handouts=lambda: handout_links(exercise, self.request.LANGUAGE_CODE),
            **kwargs,
        )


def handout_links(exercise: Exercise, language: str) -> list[tuple[Handout, BuiltPdf]]:
    """The handouts the exercise is in, each with the PDF a reader of ``language`` gets
    (that language's, or the English one until it is built): its size and pages are shown."""
    built = Q()
    for column in LANGUAGE_COLUMNS:
        built |= Q(**{f"pdf_{column}__gt": ""})
    found = Handout.objects.published().containing(exercise).filter(built)
    return [(handout, pdf) for handout in found if (pdf := handout.pdf_for(language))]


class ExercisePrintView(ExerciseDetailView):
    """The A4 handout: the steps, dosage and cautions, and where to find them online."""

    template_name = "exercises/exercise_print.html"

    def get_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).for_detail()


class ExerciseFollowView(ExerciseDetailView):
    """Follow along: one step at a time with JavaScript; the numbered steps without it."""

    template_name = "exercises/follow.html"

    def get_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cards=follow.cards([self.object]), back_url=self.object.get_absolute_url(), **kwargs
        )


def _conditional_pdf(
    request: HttpRequest, pdf: bytes | Iterable[bytes], *, etag: str, filename: str, max_age: int
):
    if_none_match = request.headers.get("If-None-Match", "")
    if etag and f'"{etag}"' in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{etag}"'
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_GET
def handout_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The handout's stored PDF in the address's language, at its stable address.

    A language never built is built now; if that fails, the English PDF is served
    (said by ``Content-Language``, and by the exercise page's link), else a 503 page.
    """
    handout = get_object_or_404(Handout.objects.published(), slug=slug)
    language = request.LANGUAGE_CODE
    if handout.built(language) is None:
        try:
            handouts.build(handout, only=[language])
        except Exception:
            logger.exception("Could not build the %s PDF of handout %s on request", language, handout.pk)
    if (pdf := handout.pdf_for(language)) is None:
        return render(request, "exercises/handout_unavailable.html", {"handout": handout}, status=503)
    with pdf.file.open("rb") as stored:
        data = stored.read()
    response = _conditional_pdf(
        request, data, etag=pdf.etag, filename=f"{handout.slug}.pdf", max_age=settings.HANDOUT_CACHE_SECONDS
    )
    response["Content-Language"] = HREFLANG[pdf.language]
    return response


def _routine(request: HttpRequest, exercises: QuerySet[Exercise] | None = None) -> routines.Routine:
    return routines.from_query(request.GET.getlist("e"), exercises)


@require_GET
def routine_page(request: HttpRequest) -> HttpResponse:
    routine = _routine(request)
    if not routine.problems and not routine.is_canonical(request.GET):
        return HttpResponsePermanentRedirect(routine.url())
    chosen = set(routine.slugs)
    others = [
        exercise for exercise in Exercise.objects.published().for_listing() if exercise.slug not in chosen
    ]
    return render(
        request,
        "exercises/routine.html",
        {
            "routine": routine,
            "others": [(exercise, routine.with_exercise(exercise.slug)) for exercise in others],
            "removals": [
                (exercise, routine.without_exercise(exercise.slug)) for exercise in routine.exercises
            ],
            "canonical_url": settings.SITE_URL + routine.url(),
        },
    )


@require_GET
def routine_print(request: HttpRequest) -> HttpResponse:
    routine = _routine(request, Exercise.objects.published().prefetch_related("steps"))
    return render(
        request,
        "exercises/routine_print.html",
        {"routine": routine, "entries": handouts.entries(routine.exercises)},
    )


@require_GET
def routine_pdf(request: HttpRequest) -> HttpResponse:
    routine = _routine(request, Exercise.objects.published().prefetch_related("steps"))
    if not routine.exercises:
        return HttpResponsePermanentRedirect(routine.url())
    # The same routine, unchanged exercises: the same PDF. The ETag lets a browser skip the rebuild.
    stamp = ",".join(f"{e.slug}:{e.updated_at.timestamp()}" for e in routine.exercises)
    etag = hashlib.sha256(f"{get_language()}|{stamp}".encode()).hexdigest()[:32]
    if f'"{etag}"' in request.headers.get("If-None-Match", ""):
        return _conditional_pdf(
            request, b"", etag=etag, filename="", max_age=settings.ROUTINE_PDF_CACHE_SECONDS
        )
    try:
        pdf = handouts.routine_pdf(
            routine.exercises, key=etag, text=handouts.HandoutText(_("My back-care routine"))
        )
    except Exception:
        logger.exception("Could not build the PDF of routine %s", routine.query)
        return render(request, "exercises/handout_unavailable.html", {"routine": routine}, status=503)
    return _conditional_pdf(
        request,
        pdf,
        etag=etag,
        filename="my-back-care-routine.pdf",
        max_age=settings.ROUTINE_PDF_CACHE_SECONDS,
    )


@require_GET
def routine_follow(request: HttpRequest) -> HttpResponse:
    routine = _routine(request, Exercise.objects.published().prefetch_related("steps"))
    return render(
        request,
        "exercises/follow.html",
        {"routine": routine, "cards": follow.cards(routine.exercises), "back_url": routine.url()},
    )
