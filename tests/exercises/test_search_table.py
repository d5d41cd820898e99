"""The table of queries a reader might type, in English and in Welsh, and the demo exercise each
must find first: stems, Welsh mutations, accents and typos. Run on SQLite and on PostgreSQL
(``DATABASE_URL=… pytest tests/exercises/test_search_table.py``): the same answers on both."""

import pytest
from django.db import transaction

from exercises import demo, search
from exercises.models import Exercise

pytestmark = pytest.mark.django_db

ENGLISH = [
    ("knee walking", "knee-walking"),
    ("walked knees", "knee-walking"),  # stems: walked, knees
    ("stretches", "lying-knee-rolls"),  # "Stretch your arms out"
    ("hugging", "knees-to-chest"),
    ("tilted pelvis", "pelvic-tilts"),
    ("tilting", "pelvic-tilts"),
    ("tailbone", "pelvic-tilts"),
    ("tummy muscles", "pelvic-tilts"),
    ("cat", "cat-and-cow"),
    ("cows", "cat-and-cow"),
    ("ceiling", "cat-and-cow"),
    ("kneeling hurts", "cat-and-cow"),  # in "when to stop"
    ("slipped disc", "cat-and-cow"),
    ("pregnancy", "knees-to-chest"),
    ("midwife", "knees-to-chest"),
    ("groin", "knees-to-chest"),
    ("dizzy", "seated-neck-turns"),
    ("pins and needles", "seated-neck-turns"),
    ("screens", "seated-neck-turns"),
    ("driving", "seated-neck-turns"),
    ("neck", "seated-neck-turns"),
    ("twisting", "lying-knee-rolls"),
    ("sway", "lying-knee-rolls"),
    ("hips", "lying-knee-rolls"),  # the category, and the summary
    ("train journeys", "knee-walking"),  # the text below the steps
    ("hot water bottle", "knee-walking"),
    ("centimetres", "knee-walking"),  # a step
    ("physiotherapist", "knee-walking"),
    ("numbness tingling", "knee-walking"),
    ("pélvic tïlts", "pelvic-tilts"),  # accents folded
    ("PELVIC", "pelvic-tilts"),
    ("pelvik", "pelvic-tilts"),  # typos: "did you mean"
    ("midwfe", "knees-to-chest"),
    ("tailbon", "pelvic-tilts"),
    ("numbnes", "knee-walking"),
]

WELSH = [
    ("cath", "cat-and-cow"),  # the title says "gath"
    ("chath", "cat-and-cow"),
    ("buwch", "cat-and-cow"),  # "fuwch"
    ("nenfwd", "cat-and-cow"),
    ("disg", "cat-and-cow"),  # "ddisg wedi llithro", in "when to stop"
    ("siap", "cat-and-cow"),  # "siâp"
    ("crymu", "cat-and-cow"),
    ("gwddf", "seated-neck-turns"),
    ("wddf", "seated-neck-turns"),  # soft mutation: g drops
    ("ngwddf", "seated-neck-turns"),  # nasal
    ("cadair gadarn", "seated-neck-turns"),
    ("penysgafn", "seated-neck-turns"),  # "benysgafn"
    ("pinnau bach cyngor", "seated-neck-turns"),  # "binnau bach", "gyngor"
    ("gyrru", "seated-neck-turns"),  # "yrru"
    ("sgriniau", "seated-neck-turns"),
    ("pelfis", "pelvic-tilts"),
    ("belfis", "pelvic-tilts"),
    ("phelfis", "pelvic-tilts"),
    ("ogwyddo", "pelvic-tilts"),
    ("cynffon", "pelvic-tilts"),  # "asgwrn y gynffon"
    ("chynffon", "pelvic-tilts"),
    ("beichiogrwydd", "knees-to-chest"),
    ("mydwraig", "knees-to-chest"),  # nasal of "bydwraig"
    ("brest", "knees-to-chest"),  # the title says "frest"
    ("padell pen-glin", "knees-to-chest"),  # "badell y pen-glin"
    ("morddwyd", "knees-to-chest"),
    ("cwtsh", "knees-to-chest"),
    ("troelli", "lying-knee-rolls"),  # "droelli"
    ("ben-glin ostwng", "lying-knee-rolls"),
    ("cerdded pengliniau", "knee-walking"),
    ("dwr poeth", "knee-walking"),  # "ddŵr"
    ("dŵr", "knee-walking"),
    ("gwaelod", "knee-walking"),  # "waelod"
    ("nghefn poeth", "knee-walking"),
    ("gefn dŵr", "knee-walking"),
    ("chefn potel", "knee-walking"),
    ("tren", "knee-walking"),  # "trên"
    ("ffisiotherapydd", "knee-walking"),
    ("beichiogrwyd", "knees-to-chest"),  # typos
    ("nenfwdd", "cat-and-cow"),
    ("ffisiotherapyd", "knee-walking"),
]


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """The demo exercises, loaded once for the module (the loader as ``manage.py load_demo`` runs it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        yield Exercise.objects.published()
        transaction.set_rollback(True)


def first_found(query: str, published) -> str | None:
    found = search.search(query, published).exercises
    return found[0].slug if found else None


@pytest.mark.parametrize(("query", "slug"), ENGLISH)
def test_english_query_finds_its_page_first(published, query, slug):
    assert first_found(query, published) == slug


@pytest.mark.parametrize(("query", "slug"), WELSH)
def test_welsh_query_finds_its_page_first(published, query, slug):
    assert first_found(query, published) == slug


def test_each_table_has_thirty_queries_or_more():
    assert len(ENGLISH) >= 30
    assert len(WELSH) >= 30
