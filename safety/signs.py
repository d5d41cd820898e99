"""Does a reader's text describe the warning signs of a back emergency?

A sign is a few words (``WarningSign.words``) that must all appear close
together in the text, in any order. Both sides are reduced to plain lower-case
words first, short filler words are dropped, and a word in the list also
matches the same word with an ending ("numb" finds "numbness", "leg" finds
"legs", "pee" finds "peeing"). A match only ever holds a message for a person
and shows urgent advice; it never refuses or deletes anything, so a false
alarm costs a moderator a glance, and a missed sign is what the list is for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .models import WarningSign

# The red flags of cauda equina syndrome and other back emergencies, as (words, meaning).
# They live in the code, not the database, so that no slip in the admin can switch them
# off; editors add more as ``WarningSign`` rows.
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

# Filler words between the words of a sign: "lost feeling in my saddle area".
FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "me",
        "i",
        "im",
        "ive",
        "id",
        "in",
        "on",
        "of",
        "at",
        "to",
        "around",
        "and",
        "or",
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "have",
        "has",
        "had",
        "its",
        "it",
        "this",
        "that",
        "some",
        "bit",
        "very",
        "really",
        "quite",
        "just",
        "so",
        "got",
        "getting",
        "there",
    ]
)
# How many content words may separate the first and last word of a sign.
WINDOW = 6
# How many letters an ending may add: numb → numbness, urin → urinating.
MAX_ENDING = 5


def plain_words(text: str) -> list[str]:
    """Lower case, accents and apostrophes removed ("can't" → "cant"), filler dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['’‘`]", "", text)
    return [word for word in re.findall(r"[^\W_]+", text) if word not in FILLER]


@lru_cache(maxsize=1024)
def _sign_words(sign: str) -> tuple[str, ...]:
    """A sign's words, worked out once per process (the same few dozen signs are checked on every post)."""
    return tuple(plain_words(sign))


def _matches(word: str, sign_word: str) -> bool:
    return word == sign_word or (word.startswith(sign_word) and len(word) - len(sign_word) <= MAX_ENDING)


def _found(words: list[str], sign: Sequence[str]) -> bool:
    if not sign:
        return False
    for start, word in enumerate(words):
        if not any(_matches(word, sign_word) for sign_word in sign):
            continue
        window = words[start : start + WINDOW + 1]
        if all(any(_matches(candidate, sign_word) for candidate in window) for sign_word in sign):
            return True
    return False


def find(text: str, signs: Iterable[tuple[str, str]]) -> list[str]:
    """The meanings of the signs (``(words, meaning)`` pairs) that ``text`` describes, in list order."""
    words = plain_words(text)
    found = []
    for sign_words, meaning in signs:
        if _found(words, _sign_words(sign_words)) and meaning not in found:
            found.append(meaning)
    return found


def warning_signs(*texts: str) -> list[str]:
    """The warning signs described anywhere in ``texts``: the built-in ones and the editors'."""
    signs = [*BUILT_IN, *WarningSign.objects.active().values_list("words", "meaning")]
    found: list[str] = []
    for text in texts:
        found += [meaning for meaning in find(text, signs) if meaning not in found]
    return found
