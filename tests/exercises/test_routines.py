"""My routine: kept in the address, tidy on bad input, never an error page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exercises import routines
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("routine:page")


@pytest.fixture
def three():
    return [
        ExerciseFactory(slug="knee-walking", title="Knee walking"),
        ExerciseFactory(slug="pelvic-tilts", title="Pelvic tilts"),
        ExerciseFactory(slug="cat-and-cow", title="Cat and cow"),
    ]


def test_a_routine_lists_its_exercises_in_canonical_order(client, three):
    response = client.get(PAGE, {"e": "cat-and-cow,knee-walking,pelvic-tilts"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Cat and cow") < page.index("Knee walking") < page.index("Pelvic tilts")
    assert "3 exercises in your routine" in page


def test_the_same_exercises_in_another_order_redirect_to_the_one_canonical_address(client, three):
    response = client.get(PAGE, {"e": "pelvic-tilts,Knee-Walking"})
    assert response.status_code == 301
    assert response.url == PAGE + "?e=knee-walking,pelvic-tilts"


def test_the_routine_page_can_be_kept_in_a_shared_cache(client, three):
    response = client.get(PAGE + "?e=knee-walking,pelvic-tilts")
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_add_and_remove_are_plain_links_that_work_without_javascript(client, three):
    page = client.get(PAGE + "?e=knee-walking").content.decode()
    assert 'href="/routine/?e=cat-and-cow,knee-walking"' in page
    assert 'href="/routine/"' in page  # removing the only exercise
    assert "Add Pelvic tilts" in page


def test_an_unknown_exercise_is_left_out_with_a_clear_message(client, three):
    response = client.get(PAGE, {"e": "knee-walking,headstand"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "We could not find an exercise called “headstand”" in page
    assert "1 exercise in your routine" in page


def test_a_draft_exercise_cannot_be_put_in_a_routine(client):
    ExerciseFactory(slug="secret", draft=True)
    page = client.get(PAGE, {"e": "secret"}).content.decode()
    assert "We could not find an exercise called “secret”" in page


def test_a_duplicate_is_listed_once_with_a_message(client, three):
    page = client.get(PAGE, {"e": "knee-walking,knee-walking"}).content.decode()
    assert "was in the routine twice" in page
    assert "1 exercise in your routine" in page


def test_more_than_twelve_keeps_the_first_twelve_with_a_message(client):
    for n in range(14):
        ExerciseFactory(slug=f"move-{n:02d}")
    page = client.get(PAGE, {"e": ",".join(f"move-{n:02d}" for n in range(14))}).content.decode()
    assert "A routine holds at most 12 exercises" in page
    assert "12 exercises in your routine" in page
    assert "Your routine is full" in page


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "knee-walking' OR 1=1 --",
        "%00",
        "\x00knee",
        "a" * 5000,
        ",,,,",
        "knee_walking",
        "ünïcode-slug",
    ],
)
def test_hostile_values_get_a_clear_page_never_an_error(client, three, hostile):
    response = client.get(PAGE, {"e": hostile})
    assert response.status_code in (200, 301)
    body = response.content.decode()
    assert "<script>alert(1)" not in body


def test_several_e_parameters_are_read_together(client, three):
    response = client.get(PAGE + "?e=pelvic-tilts&e=knee-walking")
    assert response.status_code == 301
    assert response.url == PAGE + "?e=knee-walking,pelvic-tilts"


def test_an_empty_routine_explains_how_to_start(client, three):
    page = client.get(PAGE).content.decode()
    assert "Your routine is empty" in page
    assert "Add Knee walking" in page


def test_requested_slugs_keep_order_and_report_each_problem():
    slugs, problems = routines.requested_slugs(["b-move, a-move ,b-move,<x>"])
    assert slugs == ["b-move", "a-move"]
    assert len(problems) == 2


def test_the_print_view_shows_every_exercise_of_the_routine(client, three):
    StepFactory(exercise=three[0], text="Slide one knee forwards.")
    page = client.get(reverse("routine:print"), {"e": "knee-walking,pelvic-tilts"}).content.decode()
    assert "Knee walking" in page
    assert "Pelvic tilts" in page
    assert "Slide one knee forwards." in page
    assert "Cat and cow" not in page


def test_the_routine_pdf_has_its_exercises_and_an_etag(client, three):
    url = reverse("routine:pdf") + "?e=knee-walking,pelvic-tilts"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "My back-care routine" in text
    assert "Knee walking" in text
    assert "Pelvic tilts" in text
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_an_empty_routine_has_no_pdf_but_goes_back_to_the_routine(client):
    response = client.get(reverse("routine:pdf"), {"e": "nothing-here"})
    assert response.status_code == 301
    assert response.url == PAGE


def test_the_routine_page_query_count_does_not_grow_with_its_exercises(client, django_assert_num_queries):
    for n in range(12):
        ExerciseFactory(slug=f"move-{n:02d}")
    # The routine's exercises, and all the others to add.
    with django_assert_num_queries(2):
        client.get(PAGE + "?e=" + ",".join(f"move-{n:02d}" for n in range(12)))


def test_a_routine_pdf_is_built_once_for_everyone_who_asks(client, three, monkeypatch):
    from exercises import handouts

    calls = []
    real = handouts.render_pdf
    monkeypatch.setattr(handouts, "render_pdf", lambda *args: calls.append(1) or real(*args))
    url = reverse("routine:pdf") + "?e=knee-walking"
    first = client.get(url)
    second = client.get(url)
    assert first.content == second.content
    assert len(calls) == 1
