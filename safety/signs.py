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
from collections.abc import Iterable

from .models import WarningSign

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


def _matches(word: str, sign_word: str) -> bool:
    return word == sign_word or (word.startswith(sign_word) and len(word) - len(sign_word) <= MAX_ENDING)


def _found(words: list[str], sign: list[str]) -> bool:
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
        if _found(words, plain_words(sign_words)) and meaning not in found:
            found.append(meaning)
    return found


def warning_signs(*texts: str) -> list[str]:
    """The warning signs described anywhere in ``texts``, using the editors' current list."""
    signs = list(WarningSign.objects.active().values_list("words", "meaning"))
    found: list[str] = []
    for text in texts:
        found += [meaning for meaning in find(text, signs) if meaning not in found]
    return found
