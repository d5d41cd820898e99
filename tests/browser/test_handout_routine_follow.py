"""The newcomer's journey of issue 12, in a real browser: handout, routine, follow along, urgent advice."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exercises import demo


@pytest.fixture
def demo_exercises(transactional_db):
    return demo.load()


def test_reader_downloads_the_back_care_handout_from_knee_walking(page, live_server, demo_exercises, axe):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    link = page.get_by_role("link", name="Download the Back care handout")
    assert link.is_visible()
    assert "PDF," in page.locator(".exercise__handout").inner_text()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert page.get_by_role("heading", name="When to get help now").is_visible()
    assert page.get_by_role("img", name="A person lying on their back on a mat, knees bent").is_visible()
    axe(page)


def test_welsh_reader_downloads_the_welsh_handout_from_knee_walking(page, live_server, demo_exercises, axe):
    page.goto("/cy/exercises/knee-walking/")
    link = page.get_by_role("link", name="Lawrlwytho: Taflen gofal cefn")
    assert link.is_visible()
    assert "tudalen" in page.locator(".exercise__handout").inner_text()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-language"] == "cy"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Cerdded y pengliniau" in text
    assert "Knee walking" not in text
    axe(page)


def test_reader_builds_a_routine_of_three_without_reloading_and_prints_it(
    page, live_server, demo_exercises, axe
):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    page.get_by_role("link", name="Add to my routine").click()
    assert page.get_by_role("link", name="Added to your routine").is_visible()
    page.get_by_role("link", name="See my routine (1)").click()
    assert page.get_by_role("heading", name="1 exercise in your routine").is_visible()
    axe(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Add Pelvic tilts").click()
    page.get_by_role("heading", name="2 exercises in your routine").wait_for()
    page.get_by_role("link", name="Add Cat and cow").click()
    page.get_by_role("heading", name="3 exercises in your routine").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith("/routine/?e=cat-and-cow,knee-walking,pelvic-tilts")
    axe(page)
    page.get_by_role("link", name="Print view").click()
    for title in ["Knee walking", "Pelvic tilts", "Cat and cow"]:
        assert page.get_by_role("heading", name=title).is_visible()
    axe(page)


@pytest.mark.parametrize("javascript_enabled", [False])
def test_without_javascript_the_routine_is_built_with_plain_links(page, live_server, demo_exercises):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    page.get_by_role("link", name="Add to my routine").click()
    page.get_by_role("link", name="Add Pelvic tilts").click()
    page.get_by_role("link", name="Add Cat and cow").click()
    assert page.get_by_role("heading", name="3 exercises in your routine").is_visible()


def test_reader_follows_knee_walking_by_keyboard_and_counts(page, live_server, demo_exercises, axe):
    page.goto(reverse("exercises:follow", args=["knee-walking"]))
    assert page.get_by_role("heading", name="Knee walking: getting ready").is_visible()
    assert page.get_by_role("heading", name="Knee walking: step 1 of 5").is_hidden()
    axe(page)
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("heading", name="Knee walking: step 1 of 5").is_visible()
    page.locator("[data-follow-status]", has_text="Keep both feet still").wait_for(state="attached")
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Knee walking: step 2 of 5").is_visible()
    assert page.get_by_role("img", name="one knee has slid a little forwards").is_visible()
    page.keyboard.press("ArrowLeft")
    assert page.get_by_role("heading", name="Knee walking: step 1 of 5").is_visible()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.get_by_role("heading", name="Knee walking: keep going, about 20 steps").is_visible()
    counter = page.get_by_role("button", name="Count one")
    counter.focus()
    for _ in range(3):
        page.keyboard.press("Enter")
    assert page.locator("[data-counter-value]").inner_text() == "3"
    page.locator("[data-follow-status]", has_text="Counted 3 of 20").wait_for(state="attached")
    assert page.url.endswith("#card-7")
    axe(page)


@pytest.mark.parametrize("javascript_enabled", [False])
def test_without_javascript_follow_along_is_the_numbered_steps(page, live_server, demo_exercises):
    page.goto(reverse("exercises:follow", args=["knee-walking"]))
    assert page.locator("[data-card]").count() == 7
    assert page.get_by_role("heading", name="Knee walking: step 5 of 5").is_visible()
    assert page.get_by_role("button", name="Next").is_hidden()
    page.get_by_role("link", name="Next").first.click()
    assert page.url.endswith("#card-2")


def test_a_reader_describing_saddle_numbness_sees_urgent_advice_first(page, live_server, demo_exercises, axe):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    page.get_by_role("textbox", name="Comment").fill("I've lost feeling in my saddle area")
    page.get_by_role("textbox", name="Name").fill("Gwen")
    page.get_by_role("textbox", name="E-mail").fill("gwen@example.org")
    page.get_by_role("button", name="Post comment").click()
    alert = page.get_by_role("alert")
    assert "NHS 111 Wales" in alert.inner_text()
    assert "999" in alert.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Please get medical help now"
    axe(page)
