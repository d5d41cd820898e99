"""The sentences in warning_sign_sentences.toml: a Welsh speaker's list of what must and must not alarm."""

import tomllib
from pathlib import Path

import pytest

from safety import signs

pytestmark = pytest.mark.django_db

SENTENCES = tomllib.loads((Path(__file__).parent / "warning_sign_sentences.toml").read_text(encoding="utf-8"))


def cases(kind: str) -> list:
    return [
        pytest.param(text, id=f"{language}: {text}")
        for language, lists in SENTENCES.items()
        for text in lists[kind]
    ]


@pytest.mark.parametrize("text", cases("must_match"))
def test_a_sentence_describing_a_back_emergency_is_recognised(text):
    assert signs.warning_signs(text)


@pytest.mark.parametrize("text", cases("must_not_match"))
def test_an_ordinary_back_ache_sentence_raises_no_alarm(text):
    assert signs.warning_signs(text) == []


@pytest.mark.parametrize("language", ["welsh", "english"])
def test_each_language_has_at_least_twenty_sentences_of_each_kind(language):
    assert len(SENTENCES[language]["must_match"]) >= 20
    assert len(SENTENCES[language]["must_not_match"]) >= 20
