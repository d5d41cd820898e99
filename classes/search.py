"""Searching the course list (/classes/?q=…): title, description, town and teachers, in either language.

The list holds the upcoming published courses only, a few dozen at most, already read
with their venue and teachers; so the words are matched here, in Python, with the same
rules as the exercises' search (``bilingual.words``): accents folded, English words by a
rough stem, Welsh words through their radicals (*gwrs* finds *cwrs*), and a word of four
letters or more also as the start of a longer one (*aber* finds Aberystwyth). No index,
no query: the list's query count does not change with a search.
"""

from __future__ import annotations

from collections.abc import Iterable

from bilingual.words import english_key, radicals, words

from .models import Course

# What is read of a query: its first characters and words.
MAX_QUERY_CHARACTERS = 100
MAX_WORDS = 10
PREFIX_LENGTH = 4


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(words(query[:MAX_QUERY_CHARACTERS])))[:MAX_WORDS]


def course_texts(course: Course) -> Iterable[str]:
    """What a reader may search a course by: both languages' title and description, the
    venue's name and town, and the teachers' names (``for_listing()`` reads them all)."""
    for column in ("title_en_gb", "title_cy", "description_en_gb", "description_cy"):
        yield getattr(course, column, "") or ""
    yield course.venue.name
    yield course.venue.town
    for teacher in course.teachers.all():
        yield teacher.name


class CourseWords:
    """The words of one course, ready to be matched against query words."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words = {word for text in texts for word in words(text)}
        self.stems = {english_key(word) for word in self.words}
        self.radicals = {candidate for word in self.words for candidate in radicals(word)}

    def has(self, word: str) -> bool:
        if english_key(word) in self.stems or self.radicals.intersection(radicals(word)):
            return True
        return len(word) >= PREFIX_LENGTH and any(
            known.startswith(candidate) for candidate in radicals(word) for known in self.radicals
        )


def matching(courses: list[Course], query: str) -> list[Course]:
    """The ``courses`` (in their order) that have every word of ``query``; all of them for no words."""
    asked = query_words(query)
    if not asked:
        return courses
    return [course for course in courses if all(map(CourseWords(course_texts(course)).has, asked))]
