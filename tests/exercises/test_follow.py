"""Follow along, as served (the browser tests drive it with the keyboard)."""

import pytest
from django.urls import reverse

from exercises import follow
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("dose", "target"),
    [
        ("about 20 steps", 20),
        ("3 to 5 times", 5),
        ("8 to 10 rounds", 10),
        ("5 slow breaths", 5),
        ("a while", None),
    ],
)
def test_the_counter_counts_to_the_dose(dose, target):
    assert follow.repetitions_target(dose) == target


def test_without_javascript_the_page_is_the_numbered_steps_with_anchors(client):
    exercise = ExerciseFactory(title="Knee walking", repetitions="about 20 steps")
    StepFactory(exercise=exercise, position=1, text="Keep both feet still.")
    StepFactory(exercise=exercise, position=2, text="Slide one knee forwards.")
    page = client.get(reverse("exercises:follow", args=[exercise.slug])).content.decode()
    assert '<ol class="follow__cards">' in page
    for n in range(1, 5):
        assert f'id="card-{n}"' in page
    assert 'href="#card-2"' in page
    assert "Knee walking: step 2 of 2" in page
    assert 'data-target="20"' in page
    assert 'src="/static/js/follow.js"' in page


def test_a_routine_rests_between_exercises(client):
    ExerciseFactory(slug="knee-walking", title="Knee walking")
    ExerciseFactory(slug="pelvic-tilts", title="Pelvic tilts")
    page = client.get(reverse("routine:follow"), {"e": "knee-walking,pelvic-tilts"}).content.decode()
    assert page.count("follow__card--rest") == 1
    assert "Next: Pelvic tilts." in page
