"""Every public page of the site, in a real browser: accessible (axe-core, WCAG 2.2 A/AA) and usable."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def demo_exercises(transactional_db):
    """The whole demo: exercises with comments, courses and teachers, as `make run` shows them."""
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize(
    "path",
    [
        reverse("home"),
        reverse("exercises:list"),
        reverse("exercises:list") + "?q=knee",
        reverse("exercises:list") + "?q=xylophone",
        reverse("exercises:list") + "?category=lower-back",
        reverse("exercises:detail", args=["knee-walking"]),
        reverse("exercises:print", args=["knee-walking"]),
        reverse("privacy"),
        reverse("classes:list"),
        "/no-such-page/",
    ],
)
def test_public_page_has_no_accessibility_violations(page, demo_exercises, axe, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    axe(page)


def test_skip_link_takes_keyboard_users_to_the_main_content(page, demo_exercises):
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_body_text_is_at_least_18_pixels(page, demo_exercises):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    size = page.locator("ol.steps li p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 18


@pytest.mark.parametrize("javascript_enabled", [False])
def test_reader_finds_and_reads_an_exercise_without_javascript(page, demo_exercises):
    page.goto(reverse("exercises:list"))
    page.get_by_label("Part of the body").select_option(label="Neck and shoulders")
    page.get_by_role("button", name="Show exercises").click()
    assert page.get_by_role("link", name="Seated neck turns").is_visible()
    assert page.get_by_role("link", name="Knee walking").count() == 0
    page.get_by_role("link", name="Seated neck turns").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Seated neck turns"


def test_printed_exercise_fits_on_one_a4_page(page, demo_exercises):
    page.goto(reverse("exercises:print", args=["knee-walking"]))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1


def test_printing_the_article_page_hides_the_navigation(page, demo_exercises):
    page.goto(reverse("exercises:detail", args=["knee-walking"]))
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator("ol.steps").is_visible()
