"""The page cache tests' reader-facing exercise: a titled page with one step."""

import pytest

from tests.factories import ExerciseFactory, StepFactory


@pytest.fixture
def exercise():
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="Keep your feet still.")
    return exercise
