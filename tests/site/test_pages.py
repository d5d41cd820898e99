import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_introduces_the_site_and_lists_the_latest_exercises(client):
    from tests.factories import ExerciseFactory

    ExerciseFactory(title="Knee walking")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gentle exercises for a stiff or sore lower back" in html
    assert "Knee walking" in html
    assert "Not medical advice." in html


def test_unknown_address_gets_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
