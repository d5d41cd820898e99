import pytest
from django.urls import reverse

from exercises import demo


@pytest.fixture
def demo_exercises(transactional_db):
    return demo.load()


def test_reader_searches_for_knee_and_reads_the_exercise(page, live_server, demo_exercises, axe):
    page.goto(reverse("home"))
    axe(page)
    page.get_by_label("Search the exercises").fill("knee")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Knee walking").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Knee walking"
    assert page.get_by_text("about 20 steps", exact=True).is_visible()
    assert page.get_by_text("morning and night", exact=True).is_visible()
    steps = page.locator("ol.steps > li")
    assert steps.count() == 5
    assert "parallel lines" in steps.nth(3).inner_text()
    axe(page)
