"""Exercise search (exercises.search): what it matches, in which order, and how its index keeps up
with edits. Runs on SQLite and PostgreSQL alike (``DATABASE_URL=…``)."""

import pytest
from django.db import connection

from exercises import search
from exercises.models import Category, Exercise, SearchDocument
from tests.factories import CategoryFactory, ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


def found(query: str, exercises=None) -> list[Exercise]:
    return list(search.search(query, exercises or Exercise.objects.published()).exercises or [])


def test_search_matches_words_in_the_steps_as_well_as_the_title():
    exercise = ExerciseFactory(title="Lying twist")
    StepFactory(exercise=exercise, text="Let both knees sway to the right.")
    ExerciseFactory(title="Neck turns")
    assert found("sway") == [exercise]


def test_search_needs_every_word_and_lists_an_exercise_once():
    exercise = ExerciseFactory(title="Knee walking", summary="Eases a stiff back")
    StepFactory(exercise=exercise, text="Push one knee forwards.")
    StepFactory(exercise=exercise, text="Then the other knee.")
    assert found("knee stiff") == [exercise]
    assert found("knee shoulder") == []


def test_when_to_stop_the_body_and_the_category_are_searched():
    neck = CategoryFactory(name="Neck and shoulders", slug="neck")
    stop = ExerciseFactory(cautions="Stop if you feel dizzy.")
    body = ExerciseFactory(body="Good after long **train journeys**.")
    in_category = ExerciseFactory(category=neck)
    assert found("dizzy") == [stop]
    assert found("journeys") == [body]
    assert found("shoulders") == [in_category]


def test_a_word_in_the_title_ranks_above_the_same_word_in_a_step():
    in_a_step = ExerciseFactory(title="Lying twist")
    StepFactory(exercise=in_a_step, text="Then stretch the arms.")
    in_the_title = ExerciseFactory(title="Side stretch")
    assert found("stretch") == [in_the_title, in_a_step]


def test_english_words_are_stemmed():
    exercise = ExerciseFactory(title="Side stretch")
    assert found("stretches") == [exercise]
    assert found("stretching") == [exercise]


def test_welsh_text_is_found_by_any_mutation_and_without_its_accents():
    exercise = ExerciseFactory(title="Knee walking", title_cy="Ymestyn y cefn", summary_cy="Gyda dŵr poeth.")
    ExerciseFactory(title="Neck turns", title_cy="Troi’r gwddf")
    for query in ["cefn", "gefn", "chefn", "nghefn", "dwr", "dŵr", "ddwr"]:
        assert found(query) == [exercise], query


def test_an_indexed_mutation_is_found_by_its_radical():
    exercise = ExerciseFactory(summary_cy="Rhowch eich llaw ar eich pen-glin a’ch gwddf.")
    assert found("wddf") == [exercise]
    assert found("ben-glin") == [exercise]
    assert found("law") == [exercise]


def test_the_english_of_an_exercise_not_yet_in_welsh_is_searched_whatever_the_page():
    exercise = ExerciseFactory(title="Knee walking", title_cy="")
    assert found("walking") == [exercise]


def test_only_the_exercises_given_are_searched():
    ExerciseFactory(title="Side stretch", draft=True)
    published = ExerciseFactory(title="Standing stretch")
    assert found("stretch") == [published]


def test_a_near_miss_is_answered_with_the_nearest_words_of_the_exercises():
    exercise = ExerciseFactory(title="Pelvic tilts")
    results = search.search("pelvik", Exercise.objects.published())
    assert list(results.exercises) == [exercise]
    assert results.suggestion == "pelvic"
    assert results.highlight_words == ["pelvic"]


def test_nothing_like_any_word_suggests_nothing():
    ExerciseFactory(title="Pelvic tilts")
    results = search.search("xylophone", Exercise.objects.published())
    assert list(results.exercises) == []
    assert results.suggestion == ""


@pytest.mark.parametrize("query", ["", "   ", "!!! ??? ---", '"', "* ^ (", "'):* & |", "<>"])
def test_punctuation_and_query_syntax_are_no_words(query):
    ExerciseFactory(title="Knee walking")
    assert found(query) == []
    assert found(f"{query} knee") == list(Exercise.objects.all())


def test_words_of_the_query_languages_are_plain_words():
    ExerciseFactory(title="Knee walking")
    assert found("NEAR knee") == []
    assert found("walking OR turns") == []


def test_a_long_query_of_junk_is_cut_to_its_first_words():
    ExerciseFactory(title="Knee walking")
    junk = "knee " + "qzx" * 80
    assert search.query_words(junk) == ["knee"]  # one too long word left out
    assert len(search.query_words(" ".join(f"w{n}" for n in range(50)))) == search.MAX_WORDS
    assert found(junk) == list(Exercise.objects.all())


def test_the_index_follows_edits_to_steps_the_exercise_and_its_category():
    category = CategoryFactory(name="Hips")
    exercise = ExerciseFactory(title="Lying twist", category=category)
    step = StepFactory(exercise=exercise, text="Let both knees sway.")
    assert found("sway") == [exercise]
    step.text = "Let both knees roll."
    step.save()
    assert found("sway") == []
    assert found("roll") == [exercise]
    step.delete()
    assert found("roll") == []
    exercise.title = "Lying rock"
    exercise.save()
    assert found("rock") == [exercise]
    category.name = "Pelvis"
    category.save()
    assert found("pelvis") == [exercise]


def test_deleting_an_exercise_deletes_its_document_and_index_entry():
    exercise = ExerciseFactory(title="Lying twist")
    StepFactory(exercise=exercise, text="Sway.")
    exercise.delete()
    assert not SearchDocument.objects.exists()
    assert found("twist") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM exercises_search_en WHERE exercises_search_en MATCH 'twist'")
            assert cursor.fetchone()[0] == 0


def test_the_demo_loader_indexes_the_steps_it_creates_in_bulk():
    from exercises import demo

    demo.load()
    assert [exercise.slug for exercise in found("centimetres")] == ["knee-walking"]
    assert Category.objects.count() == 3
