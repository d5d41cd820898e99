import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from akismet_service import visitors
from bilingual.languages import HREFLANG
from pagecache.decorators import shared_page

from . import builds, follow, handouts, reminders, routines, search
from .models import LANGUAGE_COLUMNS, BuiltPdf, Category, Exercise, Handout, Step
from .structured_data import exercise_plan

logger = logging.getLogger(__name__)


# Exercises on one page of the list.
PER_PAGE = 12


@shared_page(params=["category", "page", "q"], scopes=["exercises"])
class ExerciseListView(ListView):
    """The exercises, newest first; with ``q``, those that match it, best first (``exercises.search``)."""

    template_name = "exercises/exercise_list.html"
    context_object_name = "exercises"
    paginate_by = PER_PAGE

    def get_queryset(self) -> QuerySet[Exercise]:
        exercises = Exercise.objects.published().for_listing()
        self.category = None
        if slug := self.request.GET.get("category"):
            self.category = get_object_or_404(Category, slug=slug)
            exercises = exercises.filter(category=self.category)
        self.results = search.search(self.request.GET.get("q", ""), exercises)
        self.query = self.results.query
        if self.query:
            return self.results.exercises if self.results.exercises is not None else exercises.none()
        return exercises

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            query=self.query,
            suggestion=self.results.suggestion,
            marks=self.results.highlight_words,
            category=self.category,
            categories=Category.objects.all(),
            **kwargs,
        )


# The upcoming-courses box and the comments (open or closed) are on it too.
@shared_page(params=["comments_page"], scopes=["exercises", "classes", "comments"])
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


class ExerciseWithStepsView(ExerciseDetailView):
    """A view of the whole exercise that always shows its steps, so reads them with it."""

    def get_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).for_detail()


@shared_page(scopes=["exercises"])
class ExercisePrintView(ExerciseWithStepsView):
    """The A4 handout: the steps, dosage and cautions, and where to find them online."""

    template_name = "exercises/exercise_print.html"


@shared_page(scopes=["exercises"])
class ExerciseFollowView(ExerciseWithStepsView):
    """Follow along: one step at a time with JavaScript; the numbered steps without it."""

    template_name = "exercises/follow.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cards=follow.cards([self.object]), back_url=self.object.get_absolute_url(), **kwargs
        )


def _conditional_pdf(
    request: HttpRequest, pdf: bytes | Iterable[bytes], *, etag: str, filename: str, max_age: int
):
    if_none_match = request.headers.get("If-None-Match", "")
    if etag and f'"{etag}"' in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{etag}"'
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_GET
def handout_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The handout's stored PDF in the address's language, at its stable address.

    The one way to a handout's PDF: the files are kept outside the public media
    folder, and a draft answers 404. A published handout's language never built
    is built now, within the limits of ``exercises.builds`` (a failure is not
    tried again for a while); meanwhile the English PDF is served (said by
    ``Content-Language``, and by the exercise page's link), else a page that
    leads to the printable page.
    """
    handout = get_object_or_404(Handout.objects.published(), slug=slug)
    language = request.LANGUAGE_CODE
    refused = None
    if handout.built(language) is None:
        refused = _build_on_request(request, handout, language)
    if (pdf := handout.pdf_for(language)) is None:
        return pdf_not_now(request, refused or _failed(), print_url=_handout_print_url(handout))
    try:
        with pdf.file.open("rb") as stored:
            data = stored.read()
    except OSError:  # the file is gone (a restore without it): built again by the next save or task
        logger.exception("The %s PDF of handout %s is missing", pdf.language, handout.pk)
        return pdf_not_now(request, _failed(), print_url=_handout_print_url(handout))
    response = _conditional_pdf(
        request, data, etag=pdf.etag, filename=f"{handout.slug}.pdf", max_age=settings.HANDOUT_CACHE_SECONDS
    )
    response["Content-Language"] = HREFLANG[pdf.language]
    return response


def _failed() -> builds.Refused:
    """A build that failed: not tried again for ``builds.RETRY_SECONDS``."""
    return builds.Refused("failed", builds.RETRY_SECONDS)


def _build_on_request(request: HttpRequest, handout: Handout, language: str) -> builds.Refused | None:
    """Build ``handout`` in ``language`` now if the limits allow; why not, if it was not built."""
    try:
        builds.build_once(
            f"handout:{handout.pk}:{language}",
            lambda: handouts.build(handout, only=[language]),
            ip=visitors.client_ip(request),
        )
    except builds.Refused as refused:
        return refused
    except Exception:
        logger.exception("Could not build the %s PDF of handout %s on request", language, handout.pk)
        return _failed()
    return None


def _handout_print_url(handout: Handout) -> str:
    """The printable page of the handout's exercises (those published), as a routine."""
    slugs = handout.items.filter(exercise__in=Exercise.objects.published()).values_list(
        "exercise__slug", flat=True
    )
    return reverse("routine:print") + "?" + urlencode({"e": ",".join(slugs)}, safe=",")


def pdf_not_now(request: HttpRequest, refused: builds.Refused, *, print_url: str) -> HttpResponse:
    """Why the PDF is not there now, when to ask again (``Retry-After``) and the printable page meanwhile.

    429 when this address asked for too many builds, 503 when the server is
    busy or the build failed; never stored by a cache.
    """
    response = render(
        request,
        "exercises/handout_unavailable.html",
        {"reason": refused.reason, "print_url": print_url},
        status=429 if refused.reason == "limit" else 503,
    )
    response["Retry-After"] = str(refused.retry_after)
    patch_cache_control(response, no_store=True)
    return response


def _routine(request: HttpRequest, exercises: QuerySet[Exercise] | None = None) -> routines.Routine:
    return routines.from_query(request.GET.getlist("e"), exercises)


# A reader's routine: the exercises it holds, in the order given (?e=…&e=…).
@shared_page(params=["e"], scopes=["exercises"])
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


@shared_page(params=["e"], scopes=["exercises"])
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
    """The routine's PDF: built once per content (``handouts.routine_key``) and kept for everyone,
    within the limits of ``exercises.builds``; refused, it leads to the printable page."""
    routine = _routine(request, Exercise.objects.published().prefetch_related("steps"))
    if not routine.exercises:
        return HttpResponsePermanentRedirect(routine.url())
    etag = handouts.routine_key(routine.exercises, language=get_language())
    if f'"{etag}"' in request.headers.get("If-None-Match", ""):
        return _conditional_pdf(
            request, b"", etag=etag, filename="", max_age=settings.ROUTINE_PDF_CACHE_SECONDS
        )
    try:
        pdf = handouts.routine_pdf(
            routine.exercises,
            key=etag,
            text=handouts.HandoutText(_("My back-care routine")),
            ip=visitors.client_ip(request),
        )
    except builds.Refused as refused:
        return pdf_not_now(request, refused, print_url=routine.url("routine:print"))
    except Exception:
        logger.exception("Could not build the PDF of routine %s", routine.query)
        return pdf_not_now(request, _failed(), print_url=routine.url("routine:print"))
    return _conditional_pdf(
        request,
        pdf,
        etag=etag,
        filename="my-back-care-routine.pdf",
        max_age=settings.ROUTINE_PDF_CACHE_SECONDS,
    )


@shared_page(params=["e"], scopes=["exercises"])
@require_GET
def routine_follow(request: HttpRequest) -> HttpResponse:
    routine = _routine(request, Exercise.objects.published().prefetch_related("steps"))
    return render(
        request,
        "exercises/follow.html",
        {"routine": routine, "cards": follow.cards(routine.exercises), "back_url": routine.url()},
    )


# --- Reminders: "Remind me" from an exercise (?e=<its slug>) or from the routine ----------


# Not kept: the first day it offers is tomorrow, which changes every day.
@never_cache
@require_GET
def routine_remind(request: HttpRequest) -> HttpResponse:
    """What the reminders will be, a choice of first day (a plain GET form), and the calendar links."""
    routine = _routine(request)
    start, date_problem = reminders.first_day(
        request.GET.get(reminders.FROM_PARAM), today=timezone.localdate()
    )
    ics = reminders.reminders_path(routine.query, start) if routine.exercises else ""
    single = routine.exercises[0] if len(routine.exercises) == 1 else None
    return render(
        request,
        "exercises/reminders.html",
        {
            "routine": routine,
            "single": single,
            "start": start,
            "date_problem": date_problem,
            "plan": reminders.plan(routine.exercises, start),
            "ics_url": ics,
            "webcal_url": reminders.webcal_url(ics) if ics else "",
            "back_url": single.get_absolute_url() if single else routine.url(),
        },
    )


# The same address always gives the same file (the first day is in it), so it is kept like a page
# and retired when an exercise changes.
@shared_page(params=["e", reminders.FROM_PARAM], scopes=["exercises"])
@require_GET
def routine_reminders(request: HttpRequest) -> HttpResponse:
    routine = _routine(request)
    start = reminders.parse_day(request.GET.get(reminders.FROM_PARAM))
    if start is None or not routine.exercises:
        # Nothing to put in a calendar: the page says why, and offers the file that works.
        return redirect(routine.url("routine:remind"))
    content = reminders.calendar_bytes(routine.exercises, start=start, routine_url=routine.url())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="back-care-reminders.ics"'
    return response
