"""The search results page, /exercises/?q=…: ranked, highlighted, "did you mean", in Welsh, cached."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CategoryFactory, ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


def results_page(client, query: str, language: str = "en-gb", **params):
    with translation.override(language):
        url = reverse("exercises:list")
    return client.get(url, {"q": query, **params})


def titles(response) -> list[str]:
    return [exercise.title for exercise in response.context["exercises"]]


def test_results_come_best_first_with_the_words_marked(client):
    in_a_step = ExerciseFactory(title="Lying twist")
    StepFactory(exercise=in_a_step, text="Stretch the arms out.")
    ExerciseFactory(title="Side stretches", summary="A long stretch for a stiff side.")
    response = results_page(client, "stretching")
    html = response.content.decode()
    assert titles(response) == ["Side stretches", "Lying twist"]
    assert "<mark>stretches</mark></a>" in html
    assert "A long <mark>stretch</mark> for a stiff side." in html
    assert "2 exercises found." in html


def test_marked_results_are_escaped(client):
    ExerciseFactory(title="Knees <em>&</em> chest", summary="<script>alert(1)</script> knees")
    html = results_page(client, "knees").content.decode()
    assert "<mark>Knees</mark> &lt;em&gt;&amp;&lt;/em&gt; chest" in html
    assert "<script>alert(1)" not in html


def test_a_welsh_reader_finds_a_mutated_word_and_sees_the_radical_marked(client):
    ExerciseFactory(title="Knee walking", title_cy="Cerdded ar eich cefn")
    ExerciseFactory(title="Neck turns", title_cy="Troi’r gwddf")
    html = results_page(client, "nghefn", "cy").content.decode()
    assert "Troi’r gwddf" not in html
    assert "Cerdded ar eich <mark>cefn</mark>" in html
    assert "Daethpwyd o hyd i 1 ymarfer." in html


def test_a_near_miss_shows_did_you_mean_and_what_it_finds(client):
    ExerciseFactory(title="Pelvic tilts")
    html = results_page(client, "pelvik").content.decode()
    assert "Nothing matched “pelvik”. Did you mean" in html
    assert '<a href="/exercises/?q=pelvic">pelvic</a>' in html
    assert "<mark>Pelvic</mark> tilts" in html


def test_a_near_miss_in_welsh_says_so_in_welsh(client):
    ExerciseFactory(title="Pelvic tilts", title_cy="Gogwyddo’r pelfis")
    html = results_page(client, "pelfys", "cy").content.decode()
    assert "Doedd dim byd yn cyfateb i’r chwiliad “pelfys”." in html
    assert '<a href="/cy/exercises/?q=pelfis">pelfis</a>' in html


def test_no_match_and_no_near_word_says_so(client):
    ExerciseFactory(title="Pelvic tilts")
    html = results_page(client, "xylophone").content.decode()
    assert "Nothing matched. Try a shorter word" in html
    assert "Did you mean" not in html


def test_search_within_a_category(client):
    neck = CategoryFactory(name="Neck", slug="neck")
    ExerciseFactory(title="Neck stretch", category=neck)
    ExerciseFactory(title="Side stretch")
    assert titles(results_page(client, "stretch", category="neck")) == ["Neck stretch"]


def test_a_200_character_query_of_junk_is_answered(client):
    ExerciseFactory(title="Pelvic tilts")
    junk = "zq#x! ü%9 " * 20
    response = results_page(client, junk)
    assert response.status_code == 200
    assert list(response.context["exercises"]) == []


@pytest.mark.parametrize("count", [1, 12])
def test_results_page_query_count_does_not_grow_with_results(client, django_assert_num_queries, count):
    for _ in range(count):
        ExerciseFactory(title="Side stretch")
    # The ranked ids, the count, the page of exercises with their categories, the categories.
    with django_assert_num_queries(4):
        response = results_page(client, "stretch")
    assert len(response.context["exercises"]) == count


def test_did_you_mean_page_query_count(client, django_assert_num_queries):
    ExerciseFactory.create_batch(5, title="Pelvic tilts")
    # Nothing for "pelvik", the words of the exercises, then as above for "pelvic".
    with django_assert_num_queries(6):
        response = results_page(client, "pelvik")
    assert len(response.context["exercises"]) == 5


def test_results_page_is_cached_per_query_and_retired_by_an_edit(client, committed):
    exercise = ExerciseFactory(title="Pelvic tilts")
    assert results_page(client, "pelvic")["X-Page-Cache"] == "miss"
    assert results_page(client, "pelvic")["X-Page-Cache"] == "hit"
    assert results_page(client, "tilts")["X-Page-Cache"] == "miss"
    assert results_page(client, "pelvic", "cy")["X-Page-Cache"] == "miss"
    exercise.title = "Pelvic rocking"
    with committed():
        exercise.save()
    response = results_page(client, "pelvic")
    assert response["X-Page-Cache"] == "miss"
    assert "<mark>Pelvic</mark> rocking" in response.content.decode()


def test_the_search_form_works_without_javascript(client):
    html = results_page(client, "stretch").content.decode()
    assert '<form class="filter-form" action="/exercises/" method="get" role="search">' in html
    assert 'name="q" value="stretch"' in html
