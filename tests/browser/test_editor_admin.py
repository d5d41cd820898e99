import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from exercises.models import Handout
from tests.browser.sign_in import sign_in
from tests.factories import CategoryFactory, ExerciseFactory


@pytest.fixture
def editor_account(transactional_db):
    CategoryFactory(name="Lower back", slug="lower-back")
    return get_user_model().objects.create_superuser(
        "editor", "editor@backcare.example.org", "gentle-back-demo"
    )


def log_in(page, username: str, password: str) -> None:
    sign_in(page, username, password)


def test_editor_writes_an_exercise_with_steps_and_reads_it_on_the_site(page, editor_account, axe):
    log_in(page, "editor", "gentle-back-demo")
    page.goto(reverse("admin:exercises_exercise_add"))
    axe(page)
    page.get_by_label("Title [en-gb]:").fill("Lying knee rolls")
    page.get_by_label("Title [cy]:").fill("Rholio’r pengliniau")
    page.get_by_label("Category:").select_option(label="Lower back")
    page.get_by_label("Summary [en-gb]:").fill("A soft twist for the lower back.")
    page.get_by_label("Starting position [en-gb]:").fill("Lie on your back, knees bent.")
    page.get_by_label("Repetitions [en-gb]:").fill("5 each side")
    page.get_by_label("How often [en-gb]:").fill("once a day")
    page.get_by_label("For how long [en-gb]:").fill("two minutes")
    page.get_by_label("When to stop [en-gb]:").fill("Stop if it hurts.")
    page.locator("#id_steps-0-position").fill("1")
    page.locator("#id_steps-0-text_en_gb").fill("Let the knees sway to the right.")
    page.locator("#id_steps-0-text_cy").fill("Gadewch i’r pengliniau siglo i’r dde.")
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    page.goto(reverse("exercises:detail", args=["lying-knee-rolls"]))
    assert page.get_by_role("heading", level=1).inner_text() == "Lying knee rolls"
    assert page.get_by_text("Let the knees sway to the right.").is_visible()

    page.goto("/cy" + reverse("exercises:detail", args=["lying-knee-rolls"]))
    assert page.get_by_role("heading", level=1).inner_text() == "Rholio’r pengliniau"
    assert page.get_by_text("Gadewch i’r pengliniau siglo i’r dde.").is_visible()


@pytest.mark.parametrize("javascript_enabled", [False])
def test_editor_composes_a_handout_without_javascript_choosing_each_exercise_by_its_label(
    page, editor_account, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no PDF build here
    ExerciseFactory(title="Knee rolls", slug="knee-rolls")
    ExerciseFactory(title="Pelvic tilt", slug="pelvic-tilt")
    log_in(page, "editor", "gentle-back-demo")
    page.goto(reverse("admin:exercises_handout_add"))
    page.get_by_label("Title:").fill("Back care")
    page.get_by_label("Slug:").fill("back-care")
    first_item = page.locator("#items-0")  # not the hidden template for more rows
    first_item.get_by_label("Order:").fill("1")
    first_item.get_by_label("Exercise:").select_option(label="Pelvic tilt")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    handout = Handout.objects.get(slug="back-care")
    assert [item.exercise.title for item in handout.items.all()] == ["Pelvic tilt"]
