"""Two people with every kind of record the site keeps, for the data-request tests."""

import pytest

from tests.factories import ExerciseFactory, UserFactory
from tests.project.privacy_helpers import everything_about


@pytest.fixture
def people():
    moderator = UserFactory(username="moderator", is_staff=True)
    exercise = ExerciseFactory()
    return (
        everything_about("angharad", "203.0.113.77", moderator=moderator, exercise=exercise),
        everything_about("bethan", "198.51.100.88", moderator=moderator, exercise=exercise),
    )
