"""Welsh and English words as search sees them: folded, un-mutated, highlighted, compared."""

import pytest

from bilingual.words import (
    fold,
    highlight,
    nearest_words,
    radicals,
    similarity,
    trigrams,
    welsh_index_text,
    words,
)


@pytest.mark.parametrize(
    ("mutated", "radical"),
    [
        ("gefn", "cefn"),  # soft
        ("chefn", "cefn"),  # aspirate
        ("nghefn", "cefn"),  # nasal
        ("ben", "pen"),  # soft p > b
        ("mhen", "pen"),  # nasal p > mh
        ("phen", "pen"),  # aspirate p > ph
        ("dad", "tad"),  # soft t > d
        ("nhad", "tad"),  # nasal t > nh
        ("thad", "tad"),  # aspirate t > th
        ("fara", "bara"),  # soft b > f
        ("mara", "bara"),  # nasal b > m
        ("fam", "mam"),  # soft m > f
        ("ddrws", "drws"),  # soft d > dd
        ("nrws", "drws"),  # nasal d > n
        ("wddf", "gwddf"),  # soft g: gone
        ("ngwddf", "gwddf"),  # nasal g > ng
        ("law", "llaw"),  # soft ll > l
        ("ryw", "rhyw"),  # soft rh > r
        ("henw", "enw"),  # h before a vowel
    ],
)
def test_a_mutated_word_leads_back_to_its_radical(mutated, radical):
    assert radical in radicals(mutated)


def test_an_f_may_be_a_soft_b_or_a_soft_m_so_both_are_kept():
    assert set(radicals("fynydd")) == {"fynydd", "bynydd", "mynydd"}


def test_a_radical_letter_is_not_un_mutated():
    assert radicals("ffordd") == ("ffordd",)
    assert radicals("llaw") == ("llaw",)
    assert radicals("rhyw") == ("rhyw",)


def test_accents_fold_both_ways():
    assert fold("Dŵr") == "dwr"
    assert words("dŵr, siâp") == words("dwr siap") == ["dwr", "siap"]


def test_a_hyphenated_word_is_two_words_and_its_first_letter_un_mutates():
    assert words("ben-glin") == ["ben", "glin"]
    assert set(welsh_index_text("ben-glin").split()) >= set(welsh_index_text("pen-glin").split())


def test_the_welsh_index_holds_each_word_and_its_radicals():
    assert welsh_index_text("fy nghefn") == "fy by my nghefn cefn"


def test_highlight_marks_matching_words_and_escapes_everything():
    marked = highlight("Rest your <b>back</b> & the backs", ["backs"])
    assert marked == "Rest your &lt;b&gt;<mark>back</mark>&lt;/b&gt; &amp; the <mark>backs</mark>"


def test_highlight_marks_a_mutated_word_for_its_radical_and_a_stem_for_its_word():
    assert highlight("Gorweddwch ar eich cefn", ["nghefn"]) == "Gorweddwch ar eich <mark>cefn</mark>"
    assert highlight("Stretch your arms", ["stretching"]) == "<mark>Stretch</mark> your arms"
    assert highlight("y dŵr poeth", ["dwr"]) == "y <mark>dŵr</mark> poeth"


def test_similarity_is_pg_trgm_s():
    # What PostgreSQL 15's pg_trgm answers for the same pairs.
    assert similarity(trigrams("word"), trigrams("wrod")) == pytest.approx(1 / 9)
    assert similarity(trigrams("pelvik"), trigrams("pelvic")) == pytest.approx(5 / 9)


def test_the_nearest_word_is_the_most_similar_and_ties_go_to_code_point_order():
    index = nearest_words(frozenset({"pelvic", "pelvis", "tilts", "knee"}))
    assert index.nearest("pelvik", threshold=0.35, length_difference=3) == "pelvic"  # tie with pelvis
    assert index.nearest("tilt", threshold=0.35, length_difference=3) == "tilts"
    assert index.nearest("tilst", threshold=0.35, length_difference=3) is None  # 3 of 9 trigrams: 0.33
    assert index.nearest("xylophone", threshold=0.35, length_difference=3) is None
    assert index.nearest("kneeeeeeee", threshold=0.1, length_difference=3) is None  # too much longer
