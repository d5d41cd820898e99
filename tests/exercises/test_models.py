import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from PIL import Image

from exercises.models import Exercise, Step
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


def picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("pose.png", buffer.getvalue(), content_type="image/png")


def test_published_excludes_drafts_and_scheduled_exercises():
    live = ExerciseFactory()
    ExerciseFactory(draft=True)
    ExerciseFactory(scheduled=True)
    assert list(Exercise.objects.published()) == [live]


def test_scheduled_exercise_becomes_public_when_its_date_arrives():
    scheduled = ExerciseFactory(scheduled=True)
    later = timezone.now() + timedelta(days=8)
    assert list(Exercise.objects.published(now=later)) == [scheduled]


def test_publishing_without_a_date_sets_it_to_now():
    exercise = ExerciseFactory(published_at=None)
    assert exercise.published_at is not None
    assert exercise.published_at <= timezone.now()


def test_database_refuses_a_published_exercise_without_a_date():
    exercise = ExerciseFactory()
    with pytest.raises(IntegrityError):
        Exercise.objects.filter(pk=exercise.pk).update(published_at=None)


def test_steps_come_back_in_the_order_the_editor_numbered_them():
    exercise = ExerciseFactory()
    StepFactory(exercise=exercise, position=2, text="second")
    StepFactory(exercise=exercise, position=1, text="first")
    StepFactory(exercise=exercise, position=3, text="third")
    assert [step.text for step in exercise.steps.all()] == ["first", "second", "third"]


def test_exercise_picture_without_a_description_is_refused():
    exercise = ExerciseFactory.build(image=picture(), image_alt=" ")
    with pytest.raises(ValidationError) as error:
        exercise.full_clean(exclude=["category", "slug"])
    assert "image_alt_en_gb" in error.value.message_dict


def test_step_picture_without_a_description_is_refused():
    step = Step(exercise=ExerciseFactory(), text="Move", image=picture())
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "image_alt_en_gb" in error.value.message_dict


def test_picture_with_a_description_is_accepted():
    step = Step(exercise=ExerciseFactory(), text="Move", image=picture(), image_alt="A woman lying on a mat")
    step.full_clean()


def test_markdown_body_is_rendered_and_cannot_carry_script():
    exercise = ExerciseFactory(
        body="**Gently** does it.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://example.org)"
    )
    assert "<strong>Gently</strong>" in exercise.body_html
    assert "<script" not in exercise.body_html
    assert "javascript:" not in exercise.body_html
    assert 'href="https://example.org"' in exercise.body_html


def test_cautions_are_listed_one_per_line_without_bullets():
    exercise = ExerciseFactory.build(cautions="- Stop if it hurts\n\n• See a physio\n")
    assert exercise.caution_list == ["Stop if it hurts", "See a physio"]
