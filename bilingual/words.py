"""Words as search sees them, in English and Welsh: split, folded, and (Welsh) un-mutated.

Welsh changes the first letter of a word after certain words: *cefn* (back) is
written *ei gefn* (his back), *ei chefn* (her back), *fy nghefn* (my back). A
reader who types one form must find the others, so both what is indexed and
what is asked are turned into the set of radicals (dictionary forms) each word
could be, by the rule table ``MUTATIONS`` below. Where a mutated letter has more
than one radical (*f* is the soft mutation of both *b* and *m*) every candidate
is kept: guessing would lose pages, an extra candidate only widens a match.

No library we could keep does this (the Snowball stemmers have no Welsh, and
nothing on PyPI handles Welsh initial mutations), hence a small hand-written
table; the README's Decisions say so.

Imports nothing of ours: exercises and classes both search with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from html import escape

# Words, as both the SQLite ``unicode61`` tokenizer and PostgreSQL's parser see
# them: runs of letters and digits; anything else (hyphen, apostrophe, ’) splits.
_WORD = re.compile(r"[^\W_]+")

VOWELS = frozenset("aeiouwy")

# Mutated beginning -> the radical beginnings it may come from, longest first (the first
# that fits decides). Soft: p>b t>d c>g b>f d>dd g>(gone) m>f ll>l rh>r. Nasal: p>mh t>nh
# c>ngh b>m d>n g>ng. Aspirate: p>ph t>th c>ch. (ff, ll and rh are radical letters only.)
MUTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ngh", ("c",)),
    ("ng", ("g",)),
    ("mh", ("p",)),
    ("nh", ("t",)),
    ("ph", ("p",)),
    ("th", ("t",)),
    ("ch", ("c",)),
    ("dd", ("d",)),
    ("ff", ()),
    ("ll", ()),
    ("rh", ()),
    ("f", ("b", "m")),
    ("b", ("p",)),
    ("d", ("t",)),
    ("g", ("c",)),
    ("l", ("ll",)),
    ("r", ("rh",)),
    ("m", ("b",)),
    ("n", ("d",)),
)


def fold(text: str) -> str:
    """Lower case without accents: *Dŵr* -> *dwr*, *Siâp* -> *siap* (as ``remove_diacritics 2``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order: *Pen-glin’n* -> ``["pen", "glin", "n"]``."""
    return _WORD.findall(fold(text))


def radicals(word: str) -> tuple[str, ...]:
    """A folded word and every radical it could be a mutation of, the word itself first.

    *nghefn* -> (nghefn, cefn); *fawr* -> (fawr, bawr, mawr); *wddf* -> (wddf, gwddf)
    (the soft mutation of *g* drops it); *henw* -> (henw, enw) (an *h* put before a
    vowel after *ei* "her", *ein*, *eu*). Words of one letter are left alone.
    """
    if len(word) < 2:
        return (word,)
    found = [word]
    if word[0] in VOWELS:
        found.append("g" + word)
    elif word[0] == "h" and word[1] in VOWELS:
        found.append(word[1:])
    else:
        for mutated, sources in MUTATIONS:
            if word.startswith(mutated):
                found += [source + word[len(mutated) :] for source in sources]
                break
    return tuple(found)


def welsh_index_text(text: str) -> str:
    """What the Welsh search column holds for ``text``: each word and its radicals, space-separated."""
    return " ".join(candidate for word in words(text) for candidate in radicals(word))


def welsh_forms(text: Iterable[str]) -> set[str]:
    """Every radical of every word of ``text``: a Welsh word is matched when its set meets this."""
    return {candidate for word in text for candidate in radicals(word)}


def english_key(word: str) -> str:
    """A rough English stem for highlighting only (the databases stem for matching):
    the folded word less a common ending, so *stretches*, *stretching* and *stretch* agree."""
    for ending in ("ing", "es", "ed", "s", "e", "y"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def highlight(text: str, query_words: Iterable[str], *, mark: str = "mark") -> str:
    """``text`` HTML-escaped, with each word that matches a query word wrapped in ``<mark>``.

    A word matches in English (same rough stem) or in Welsh (a radical in common,
    so *gefn* marks *cefn*). Everything else is escaped as it was written.
    """
    asked = list(query_words)
    english = {english_key(word) for word in asked}
    welsh = welsh_forms(asked)
    out: list[str] = []
    position = 0
    for found in _WORD.finditer(text):
        word = fold(found.group())
        if english_key(word) in english or welsh.intersection(radicals(word)):
            out.append(escape(text[position : found.start()]))
            out.append(f"<{mark}>{escape(found.group())}</{mark}>")
            position = found.end()
    out.append(escape(text[position:]))
    return "".join(out)


@lru_cache(maxsize=50_000)
def trigrams(word: str) -> frozenset[str]:
    """The trigrams of a word as PostgreSQL's ``pg_trgm`` makes them (two spaces before, one after),
    so that the same similarity is computed in Python (SQLite) and in the database (PostgreSQL).
    Remembered: the exercises' words come back on every "did you mean"."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """``pg_trgm``'s ``similarity()``: shared trigrams over all trigrams of the two words."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


class NearestWords:
    """The words of a vocabulary by their trigrams, to find the most similar to a word without
    comparing it with every one (only words sharing a trigram can reach any threshold)."""

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.having: dict[str, list[str]] = {}
        for word in vocabulary:
            for trigram in trigrams(word):
                self.having.setdefault(trigram, []).append(word)

    def nearest(self, word: str, *, threshold: float, length_difference: int) -> str | None:
        """The most similar word (ties: the first in code-point order) at ``threshold`` or above,
        at most ``length_difference`` letters longer or shorter; None if there is none."""
        mine = trigrams(word)
        sharing = {known for trigram in mine for known in self.having.get(trigram, ())}
        scored = [
            (-score, known)
            for known in sharing
            if abs(len(known) - len(word)) <= length_difference
            and (score := similarity(mine, trigrams(known))) >= threshold
        ]
        return min(scored)[1] if scored else None


@lru_cache(maxsize=4)
def nearest_words(vocabulary: frozenset[str]) -> NearestWords:
    """The index of ``vocabulary``, kept while the vocabulary is the same (it changes only when
    an exercise does)."""
    return NearestWords(vocabulary)
