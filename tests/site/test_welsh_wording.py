"""What a Welsh reader sees on the pages the Welsh review (shared/reviews/2026-12-welsh.md) found wrong."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_welsh_urgent_page_tells_the_reader_to_get_medical_help_now(client):
    """The old heading, "Cewch help meddygol nawr", read as "you will get medical help"."""
    body = client.get("/cy" + reverse("safety:help_now")).content.decode()
    assert '<h1 id="urgent-advice-title" class="urgent-advice__title">Mynnwch help meddygol nawr</h1>' in body
    assert "Cewch help" not in body
