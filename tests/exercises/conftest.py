"""The demo handout, built, for the handout tests."""

import pytest

from exercises import demo, handouts
from exercises.models import Handout


@pytest.fixture
def demo_handout(settings):
    settings.SITE_URL = "https://backcare.example.org"
    demo.load()
    handout = Handout.objects.get(slug="back-care-handout")
    return handouts.build(handout)
