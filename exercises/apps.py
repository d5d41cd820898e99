from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        from pagecache.invalidation import retire_on_change

        from . import search
        from .models import Category, Exercise, Handout, HandoutItem, Step

        # A rebuilt handout changes the size and page count its exercise pages show.
        retire_on_change(Category, Exercise, Step, Handout, HandoutItem, scope="exercises")
        # The search documents follow the exercises, their steps and categories.
        post_save.connect(search.exercise_saved, sender=Exercise, dispatch_uid="search-exercise")
        post_save.connect(search.step_changed, sender=Step, dispatch_uid="search-step-saved")
        post_delete.connect(search.step_changed, sender=Step, dispatch_uid="search-step-deleted")
        post_save.connect(search.category_saved, sender=Category, dispatch_uid="search-category")
