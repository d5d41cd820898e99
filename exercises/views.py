from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from bilingual.languages import HREFLANG

from .models import Category, Exercise
from .structured_data import exercise_plan


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
        return Exercise.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        canonical_url = settings.SITE_URL + self.object.get_absolute_url()
        return super().get_context_data(
            canonical_url=canonical_url,
            structured_data=exercise_plan(
                self.object, url=canonical_url, language=HREFLANG[self.request.LANGUAGE_CODE]
            ),
            **kwargs,
        )


class ExercisePrintView(ExerciseDetailView):
    """The A4 handout: the steps, dosage and cautions, and where to find them online."""

    template_name = "exercises/exercise_print.html"
