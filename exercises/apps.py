from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        from pagecache.invalidation import retire_on_change

        from .models import Category, Exercise, Handout, HandoutItem, Step

        # A rebuilt handout changes the size and page count its exercise pages show.
        retire_on_change(Category, Exercise, Step, Handout, HandoutItem, scope="exercises")
