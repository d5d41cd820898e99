"""Searching the course list, /classes/?q=…: title, description, town and teacher, in either language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.classes.factories import TeacherFactory, VenueFactory, weekly_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    start = timezone.localdate() + timedelta(days=3)
    sue = TeacherFactory(name="Sue Jones")
    lesley = TeacherFactory(name="Lesley Price")
    borth = VenueFactory(name="Neuadd y Pentref", town="Borth")
    aber = VenueFactory(name="Canolfan y Celfyddydau", town="Aberystwyth")
    return {
        "backs": weekly_course(
            start,
            title="Yoga for stiff backs",
            title_cy="Ioga i’r cefn",
            description="Gentle stretches for the lower back.",
            description_cy="Ymestyn ysgafn ar gyfer rhan isaf y cefn.",
            venue=borth,
            teachers=[sue],
        ),
        "chairs": weekly_course(
            start,
            title="Chair yoga",
            title_cy="Ioga ar gadair",
            description="Seated yoga for people who cannot get down to the floor.",
            description_cy="Ioga yn eistedd i bobl sy’n methu mynd i lawr i’r llawr.",
            venue=aber,
            teachers=[lesley],
        ),
    }


def listed(client, query: str, language: str = "en-gb", **params) -> str:
    with translation.override(language):
        url = reverse("classes:list")
    return client.get(url, {"q": query, **params}).content.decode()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("stretching", "Yoga for stiff backs"),  # the description, by its stem
        ("seated", "Chair yoga"),
        ("borth", "Yoga for stiff backs"),  # the town
        ("aber", "Chair yoga"),  # the start of a town
        ("sue", "Yoga for stiff backs"),  # a teacher
        ("lesley price", "Chair yoga"),
        ("CHAIRS", "Chair yoga"),
    ],
)
def test_an_english_search_lists_only_the_matching_course(client, courses, query, title):
    html = listed(client, query)
    assert title in html
    other = {"Yoga for stiff backs", "Chair yoga"} - {title}
    assert other.pop() not in html
    assert "1 course matches." in html


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("cadair", "Ioga ar gadair"),  # the title says "gadair"
        ("nghadair", "Ioga ar gadair"),
        ("gefn", "Ioga i’r cefn"),
        ("llawr", "Ioga ar gadair"),
        ("pentref", "Ioga i’r cefn"),  # the venue's name
    ],
)
def test_a_welsh_search_finds_mutated_words(client, courses, query, title):
    html = listed(client, query, "cy")
    assert title in html
    assert "Mae 1 cwrs yn cyfateb." in html


def test_every_word_must_match_and_the_other_filters_still_apply(client, courses):
    assert "Chair yoga" not in listed(client, "yoga borth")
    assert "Yoga for stiff backs" in listed(client, "yoga borth")
    html = listed(client, "yoga", town="Borth")
    assert "Yoga for stiff backs" in html
    assert "Chair yoga" not in html


def test_no_match_keeps_what_was_typed_and_says_so(client, courses):
    html = listed(client, "trampoline")
    assert "No courses match those choices" in html
    assert 'value="trampoline"' in html


def test_search_adds_no_query_to_the_list(client, courses, django_assert_num_queries):
    with django_assert_num_queries(4):
        listed(client, "backs")


def test_each_search_is_its_own_cached_page(client, courses):
    with translation.override("en-gb"):
        url = reverse("classes:list")
    assert client.get(url, {"q": "chair"})["X-Page-Cache"] == "miss"
    assert client.get(url, {"q": "chair"})["X-Page-Cache"] == "hit"
    second = client.get(url, {"q": "borth"})
    assert second["X-Page-Cache"] == "miss"
    assert "Chair yoga" not in second.content.decode()
