"""Small factories for test data. Each app's tests may add their own beside this."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from exercises.models import Category, Exercise, Step


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@backcare.example.org")
    password = factory.django.Password("pw")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    title = factory.Sequence(lambda n: f"Gentle exercise {n}")
    slug = factory.Sequence(lambda n: f"gentle-exercise-{n}")
    summary = "A gentle movement for a stiff back."
    category = factory.SubFactory(CategoryFactory)
    starting_position = "Lie on your back with your knees bent."
    repetitions = "about 20 times"
    frequency = "morning and night"
    duration = "a few minutes, for a couple of days"
    cautions = "Stop if it hurts.\nSee a physiotherapist if pain lasts."
    status = Exercise.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Exercise.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
        )


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    exercise = factory.SubFactory(ExerciseFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Step number {n}: move slowly.")


def in_english(form: dict, fields: set[str]) -> dict:
    """An admin form's data with its translated fields under their English names (``title_en_gb``).

    The admin edits each translated field in both languages; a key ``steps-0-text``
    becomes ``steps-0-text_en_gb`` like the bare ``text``.
    """
    renamed = {}
    for key, value in form.items():
        prefix, _dash, name = key.rpartition("-")
        if name in fields:
            key = f"{prefix}{_dash}{name}_en_gb"
        renamed[key] = value
    return renamed
