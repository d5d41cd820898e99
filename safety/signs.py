"""Does a reader's text describe the warning signs of a back emergency, in English or Welsh?

A sign is a few words (``WarningSign.words``) that must all appear close
together in the text, in any order. Both sides are reduced to plain lower-case
words first, short filler words are dropped, and a word in the list also
matches the same word with an ending ("numb" finds "numbness", "leg" finds
"legs", "pee" finds "peeing"). A Welsh sign's words also match their mutated
forms ("cefn" finds "fy nghefn", "coes" finds "y ddwy goes": ``safety.welsh``).
Every text is checked against the signs of both languages, whatever page it
came from: readers mix the two ("mae fy nghefn yn brifo ar ôl car accident").
A match only ever holds a message for a person and shows urgent advice; it
never refuses or deletes anything, so a false alarm costs a moderator a
glance, and a missed sign is what the list is for.

The cost is linear in the text and bounded: at most ``MAX_CHARACTERS`` are
read (the longest text a form takes), at most ``MAX_NORMALISED`` after
Unicode normalisation (one character can expand to eighteen), each word is
looked up once in an index of the signs' words, and each sign then only
checks the places where its rarest word occurs.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import welsh
from .models import WarningSign

ENGLISH = WarningSign.Language.ENGLISH
WELSH = WarningSign.Language.WELSH
BOTH = WarningSign.Language.BOTH

# The red flags of cauda equina syndrome and other back emergencies, as (words, meaning).
# They live in the code, not the database, so that no slip in the admin can switch them
# off; editors add more as ``WarningSign`` rows. The Welsh ones are ``welsh.BUILT_IN_CY``.
BUILT_IN = [
    ("numb saddle", "numbness in the saddle area"),
    ("feeling saddle", "numbness in the saddle area"),
    ("tingl saddle", "numbness in the saddle area"),
    ("numb bottom", "numbness around the bottom or genitals"),
    ("numb genital", "numbness around the bottom or genitals"),
    ("numb groin", "numbness around the bottom or genitals"),
    ("numb between legs", "numbness around the bottom or genitals"),
    ("lost feeling bottom", "numbness around the bottom or genitals"),
    ("lost feeling genital", "numbness around the bottom or genitals"),
    ("cant feel bottom", "numbness around the bottom or genitals"),
    ("pass urin", "trouble passing urine"),
    ("cant pee", "trouble passing urine"),
    ("cant wee", "trouble passing urine"),
    ("trouble pee", "trouble passing urine"),
    ("control bladder", "trouble controlling the bladder or bowels"),
    ("control bowel", "trouble controlling the bladder or bowels"),
    ("wet myself", "trouble controlling the bladder or bowels"),
    ("incontinen", "trouble controlling the bladder or bowels"),
    ("both legs weak", "weakness or numbness in both legs"),
    ("both legs numb", "weakness or numbness in both legs"),
    ("both legs tingl", "weakness or numbness in both legs"),
    ("legs gave way", "weakness or numbness in both legs"),
    ("legs giving way", "weakness or numbness in both legs"),
    ("back fever", "back pain with a fever"),
    ("back high temperature", "back pain with a fever"),
    ("after fall", "back pain after a fall or accident"),
    ("had fall", "back pain after a fall or accident"),
    ("fell down", "back pain after a fall or accident"),
    ("fell off", "back pain after a fall or accident"),
    ("car accident", "back pain after a fall or accident"),
    ("after accident", "back pain after a fall or accident"),
    ("unexplained weight", "unexplained weight loss"),
    ("weight without trying", "unexplained weight loss"),
]


# Welsh NHS pages keep the Latin name, so it is one sign for both languages.
BUILT_IN_BOTH = [("cauda equina", "mentions cauda equina syndrome")]

# Filler words between the words of a sign: "lost feeling in my saddle area".
_FILLER_EN = """
    a an the my me i im ive id in on of at to around and or is are am was were be been
    have has had its it this that some bit very really quite just so got getting there
    """
FILLER_EN = frozenset(_FILLER_EN.split())
FILLER = FILLER_EN | welsh.FILLER
# How many content words may separate the first and last word of a sign.
WINDOW = 6
# How many letters an ending may add: numb → numbness, urin → urinating.
MAX_ENDING = 5
# The most any text costs: the longest text a form takes (a comment), and what
# Unicode normalisation may make of it (NFKD turns U+FDFA into 18 characters).
MAX_CHARACTERS = 10_000
MAX_NORMALISED = 12_000
# A word longer than this cannot be any sign word with an ending: it is only counted.
MAX_WORD = 40

_ACCENTS = re.compile("[\u0300-\u036f]")
_APOSTROPHES = re.compile("['’‘`]")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _decomposed(text: str) -> str:
    """NFKD of ``text``, stopping once ``MAX_NORMALISED`` characters are made.

    In pieces, so that 10,000 characters of U+FDFA do not first become 180,000.
    A piece may end between a letter and its accent: accents are removed next,
    so that changes nothing.
    """
    pieces, made = [], 0
    for start in range(0, len(text), 1_000):
        piece = unicodedata.normalize("NFKD", text[start : start + 1_000])
        pieces.append(piece)
        made += len(piece)
        if made >= MAX_NORMALISED:
            break
    return "".join(pieces)[:MAX_NORMALISED]


def _normalised(text: str) -> str:
    """Lower case, no accents, Welsh compounds joined, apostrophes removed ("can't" → "cant")."""
    text = _ACCENTS.sub("", _decomposed(text[:MAX_CHARACTERS].casefold()))
    if _APOSTROPHES.search(text):
        text = _APOSTROPHES.sub("", welsh.split_clitics(text))
    return welsh.join_compounds(text)


def plain_words(text: str) -> list[str]:
    """The content words of ``text``: lower case, accents and apostrophes removed, filler dropped.

    A hyphenated word is one word ("lower-back" → "lowerback"); Welsh compounds
    are one word however they are written (``welsh.join_compounds``).
    """
    words = (word.replace("-", "") for word in _WORD.findall(_normalised(text)))
    return [word for word in words if word not in FILLER]


def _forms(token: str) -> tuple[str, ...]:
    """What one word of a text may stand for: itself and, if hyphenated, its parts."""
    if "-" not in token:
        return (token,)
    parts = [part for part in token.split("-") if part not in FILLER]
    return (token.replace("-", ""), *parts)


@dataclass(frozen=True)
class Sign:
    """One warning sign: its words as written, what it means, and which language's word forms match."""

    words: str
    meaning: str
    language: str = ENGLISH

    @property
    def mutates(self) -> bool:
        """Welsh words match through mutations; English words only as written (no false alarms)."""
        return self.language != ENGLISH


def as_signs(signs: Iterable[Sign | tuple[str, ...]]) -> tuple[Sign, ...]:
    return tuple(sign if isinstance(sign, Sign) else Sign(*sign) for sign in signs)


@lru_cache(maxsize=1)
def built_in_signs() -> tuple[Sign, ...]:
    return (
        *(Sign(words, meaning, ENGLISH) for words, meaning in BUILT_IN),
        *(Sign(words, meaning, WELSH) for words, meaning in welsh.BUILT_IN_CY),
        *(Sign(words, meaning, BOTH) for words, meaning in BUILT_IN_BOTH),
    )


class Matcher:
    """A list of signs, prepared once: each sign's words, and an index from a word's first
    three letters to the sign words that start with them."""

    def __init__(self, signs: tuple[Sign, ...]) -> None:
        prepared = [(sign, tuple(dict.fromkeys(plain_words(sign.words)))) for sign in signs]
        self.signs = [(sign, words) for sign, words in prepared if words]
        written = {word for sign, words in self.signs if not sign.mutates for word in words}
        radical = {word for sign, words in self.signs if sign.mutates for word in words}
        self.plain_heads = _heads(written)
        self.welsh_heads = _heads(radical)
        self.has_short_words = any(len(word) < 3 for word in written | radical)
        # How a word of a text that matches anything can start: a quick "no" for the rest.
        forms = {*written, *radical, *(mutated for word in radical for mutated in welsh.mutations(word))}
        self.starts = frozenset(form[:3] for form in forms)
        self.start_sizes = tuple(sorted({min(3, len(form)) for form in forms}, reverse=True))

    def positions(self, text: str) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Where each sign word occurs among the text's content words: as written (for English
        signs) and as written or through a mutation (for Welsh ones). One pass over the text;
        each different word is looked up once."""
        content = [token for token in _WORD.findall(_normalised(text)) if token not in FILLER]
        hits_of = {token: hits for token in self._candidates(set(content)) if (hits := self._hits(token))}
        plain: dict[str, list[int]] = {}
        mutated: dict[str, list[int]] = {}
        if not hits_of:
            return plain, mutated
        for position, token in enumerate(content):
            for sign_word, as_written in hits_of.get(token, ()):
                if as_written:
                    _add(plain, sign_word, position)
                _add(mutated, sign_word, position)
        return plain, mutated

    def _candidates(self, tokens: set[str]) -> list[str]:
        """The words that may match something: a quick "no" for most, written out for speed."""
        starts = self.starts
        if self.has_short_words:
            return [
                token
                for token in tokens
                if "-" in token or token[:3] in starts or token[:2] in starts or token[:1] in starts
            ]
        return [token for token in tokens if "-" in token or token[:3] in starts]

    def _hits(self, token: str) -> tuple[tuple[str, bool], ...]:
        """The sign words one word of a text matches: (sign word, matched as written)."""
        if len(token) > MAX_WORD:
            return ()
        hits: dict[str, bool] = {}
        for form in _forms(token):
            if not any(form[:size] in self.starts for size in self.start_sizes):
                continue
            for sign_word in self._starting(form, self.plain_heads):
                hits[sign_word] = True
            for sign_word in self._starting(form, self.welsh_heads):
                hits[sign_word] = True
            for radical in welsh.radicals(form):
                for sign_word in self._starting(radical, self.welsh_heads):
                    hits.setdefault(sign_word, False)
        return tuple(hits.items())

    def _starting(self, form: str, heads: dict[str, tuple[str, ...]]) -> Iterable[str]:
        """The sign words ``form`` is, or is with an ending."""
        keys = (form[:3], form[:2], form[:1]) if self.has_short_words else (form[:3],)
        shortest = welsh.shortest_sign_word(form)
        for key in keys:
            for sign_word in heads.get(key, ()):
                if (
                    form.startswith(sign_word)
                    and len(form) - len(sign_word) <= MAX_ENDING
                    and len(sign_word) >= shortest
                ):
                    yield sign_word

    def find(self, text: str) -> list[str]:
        plain, mutated = self.positions(text)
        found: list[str] = []
        for sign, words in self.signs:
            if sign.meaning in found:
                continue
            index = mutated if sign.mutates else plain
            places = [index[word] for word in words if word in index]
            if len(places) == len(words) and _close_together(places):
                found.append(sign.meaning)
        return found


def _heads(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    heads: dict[str, set[str]] = {}
    for word in words:
        heads.setdefault(word[:3], set()).add(word)
    return {head: tuple(sorted(group)) for head, group in heads.items()}


def _add(index: dict[str, list[int]], word: str, position: int) -> None:
    places = index.setdefault(word, [])
    if not places or places[-1] != position:
        places.append(position)


def _close_together(places: list[list[int]]) -> bool:
    """Is there a stretch of ``WINDOW + 1`` words holding one place from every list?

    Every such stretch holds a place of the shortest list, so only the stretches
    around those are tried: the cost follows the rarest word, not the text.
    """
    rarest = min(places, key=len)
    for place in rarest:
        if not all(_has_between(other, place - WINDOW, place + WINDOW) for other in places):
            continue
        for start in range(place - WINDOW, place + 1):
            if all(_has_between(other, start, start + WINDOW) for other in places):
                return True
    return False


def _has_between(places: list[int], low: int, high: int) -> bool:
    index = bisect_left(places, low)
    return index < len(places) and places[index] <= high


@lru_cache(maxsize=64)
def matcher(signs: tuple[Sign, ...]) -> Matcher:
    """The prepared matcher for a list of signs, worked out once per process and list."""
    return Matcher(signs)


def find(text: str, signs: Iterable[Sign | tuple[str, ...]]) -> list[str]:
    """The meanings of the signs (``Sign``s or ``(words, meaning[, language])``) ``text`` describes, in list order."""
    return matcher(as_signs(signs)).find(text)


def editor_signs() -> tuple[Sign, ...]:
    rows = WarningSign.objects.active().values_list("words", "meaning", "language")
    return tuple(Sign(words, meaning, language) for words, meaning, language in rows)


def warning_signs(*texts: str) -> list[str]:
    """The warning signs described anywhere in ``texts``: the built-in ones (English and Welsh)
    and the editors'. Each text is checked against every sign, whatever its language."""
    prepared = matcher((*built_in_signs(), *editor_signs()))
    found: list[str] = []
    for text in texts:
        found += [meaning for meaning in prepared.find(text) if meaning not in found]
    return found
