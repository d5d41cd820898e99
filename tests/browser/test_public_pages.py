"""Every public page of the site, in a real browser: accessible (axe-core, WCAG 2.2 A/AA) and usable."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def demo_exercises(transactional_db):
    """The whole demo: exercises with comments, courses and teachers, as `make run` shows them."""
    call_command("load_demo", stdout=io.StringIO())


ENGLISH_PAGES = [
    reverse("home"),
    reverse("exercises:list"),
    reverse("exercises:list") + "?q=knee",
    reverse("exercises:list") + "?q=xylophone",
    reverse("exercises:list") + "?q=pelvik",  # "did you mean", with marked words
    reverse("exercises:list") + "?category=lower-back",
    reverse("exercises:detail", args=["knee-walking"]),
    reverse("exercises:print", args=["knee-walking"]),
    reverse("privacy"),
    reverse("offline"),
    reverse("classes:list"),
    reverse("classes:list") + "?q=aber",
    reverse("classes:course", args=["ioga-ir-cefn-demo"]),
    reverse("classes:teacher", args=["gwen-demo"]),
    reverse("classes:enquiry", args=["gwen-demo"]),
    reverse("routine:remind") + "?e=knee-walking",
    reverse("routine:remind") + "?e=knee-walking,pelvic-tilts&from=2001-01-01",
    # The pages of the e-mailed links need a token: tests/browser/test_booking.py audits them.
    reverse("classes:book", args=["ioga-ir-cefn-demo"]),
    reverse("classes:booking_sent", args=["ioga-ir-cefn-demo"]),
    "/no-such-page/",
]
# The same pages in Welsh: /cy/ before the same path.
WELSH_PAGES = ["/cy" + path for path in ENGLISH_PAGES]


@pytest.mark.parametrize("path", ENGLISH_PAGES + WELSH_PAGES)
def test_public_page_has_no_accessibility_violations(page, demo_exercises, axe, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == ("cy" if path.startswith("/cy/") else "en-GB")
    axe(page)


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_the_language_link_goes_to_the_same_page_in_welsh_and_back(page, demo_exercises, path):
    page.goto(path)
    page.get_by_role("link", name="Cymraeg").click()
    assert address(page) == "/cy" + path
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("link", name="English").click()
    assert address(page) == path
    assert page.locator("html").get_attribute("lang") == "en-GB"


def address(page) -> str:
    """The path and query string the browser is at."""
    url = urlsplit(page.url)
    return url.path + (f"?{url.query}" if url.query else "")


def test_the_welsh_demo_reads_in_welsh(page, demo_exercises):
    page.goto("/cy/exercises/knee-walking/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cerdded y pengliniau"
    assert page.get_by_role("heading", name="Cam wrth gam").is_visible()
    assert page.locator("[lang=en]").count() == 0
    page.goto("/cy/classes/")
    assert page.get_by_role("link", name="Ioga i’r cefn", exact=True).is_visible()
    assert page.get_by_text("Bob wythnos: Dydd Llun").first.is_visible()


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
