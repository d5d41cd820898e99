"""Demo content for a fresh development site. Safe to run again: it refreshes, never duplicates."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backcare.environment import env_bool
from classes import demo as classes_demo
from comments import demo as comments_demo
from exercises import demo as exercises_demo

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "gentle-back-demo"  # noqa: S105 - demo only; printed by `make run`.


class Command(BaseCommand):
    help = "Load BackCare's demo content: exercises, classes, comments and logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_ok",
            help="Run even with DJANGO_DEBUG=0 (benchmarks on a throw-away copy; never a real site).",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # The variable itself, not settings.DEBUG (which test runners turn off).
        if not env_bool("DJANGO_DEBUG", True) and not options["production_ok"]:
            raise CommandError(
                "DJANGO_DEBUG=0: this looks like a production site. load_demo would reset the "
                f"'{EDITOR_USERNAME}' superuser's password to the published demo one and add demo "
                "content. Nothing was changed. On a throw-away copy, add --i-know-this-is-production."
            )
        User = get_user_model()
        editor, _ = User.objects.get_or_create(
            username=EDITOR_USERNAME,
            defaults={"email": "editor@backcare.example.org", "first_name": "Demo", "last_name": "Editor"},
        )
        editor.is_staff = editor.is_superuser = True
        editor.set_password(EDITOR_PASSWORD)
        editor.save()

        exercises = exercises_demo.load(author=editor)
        self.stdout.write(f"Demo exercises: {len(exercises)}.")
        classes = classes_demo.load()
        self.stdout.write(
            f"Demo classes: {len(classes['courses'])} courses, {len(classes['teachers'])} teachers, "
            f"{len(classes['venues'])} venues."
        )
        knee_walking = next(exercise for exercise in exercises if exercise.slug == "knee-walking")
        comments = comments_demo.load(knee_walking)
        self.stdout.write(f"Demo comments on {knee_walking}: {len(comments)}.")
        self.stdout.write(
            self.style.SUCCESS(f"Editor login: {EDITOR_USERNAME} / {EDITOR_PASSWORD} at /admin/")
        )
        username, password = classes["teacher_login"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Teacher login: {username} / {password} at /admin/ (sees only their own courses)"
            )
        )
