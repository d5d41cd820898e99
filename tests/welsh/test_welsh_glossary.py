"""One Welsh term per concept: the glossary (locale/cy/glossary.toml) holds over every Welsh catalogue.

The glossary is the terminology table of the Welsh review. Each failure names the catalogue
entry, the variant found and the term to write instead, so that a string arriving from another
branch is corrected where it is, not argued about.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tests.welsh.welsh_po import Entry, all_entries

GLOSSARY = settings.BASE_DIR / "locale" / "cy" / "glossary.toml"


@dataclass(frozen=True)
class Term:
    english: str
    welsh: str
    forbidden: tuple[re.Pattern[str], ...]
    why: str
    only_where_msgid: re.Pattern[str] | None
    allowed_msgids: frozenset[str]

    def applies_to(self, entry: Entry) -> bool:
        if entry.msgid in self.allowed_msgids:
            return False
        return self.only_where_msgid is None or bool(self.only_where_msgid.search(entry.msgid))


def terms() -> list[Term]:
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    return [
        Term(
            english=term["english"],
            welsh=term["welsh"],
            forbidden=tuple(re.compile(pattern, re.IGNORECASE) for pattern in term["forbidden"]),
            why=term["why"],
            only_where_msgid=re.compile(term["only_where_msgid"], re.IGNORECASE)
            if "only_where_msgid" in term
            else None,
            allowed_msgids=frozenset(term.get("allowed_msgids", ())),
        )
        for term in data["term"]
    ]


def glossary_breaches(entry: Entry, glossary: list[Term]) -> list[str]:
    found = []
    for term in glossary:
        if not term.applies_to(entry):
            continue
        for msgstr in entry.msgstrs:
            for pattern in term.forbidden:
                if match := pattern.search(msgstr):
                    found.append(
                        f"{entry.where()}\n    has “{match.group(0)}” for {term.english}: "
                        f"write {term.welsh} ({term.why})\n    msgstr: {msgstr}"
                    )
                    break
            else:
                continue
            break
    return found


def test_the_glossary_gives_each_concept_a_welsh_term_and_valid_patterns():
    glossary = terms()
    assert len(glossary) >= 20
    assert all(term.welsh and term.forbidden and term.why for term in glossary)


def test_every_welsh_catalogue_uses_the_one_glossary_term_for_each_concept():
    glossary = terms()
    breaches = [breach for entry in all_entries() for breach in glossary_breaches(entry, glossary)]
    assert not breaches, f"{len(breaches)} Welsh entries break locale/cy/glossary.toml:\n" + "\n".join(
        breaches
    )


def welsh_demo_texts() -> list[Entry]:
    """Every Welsh text of the demo content (exercises/demo/, classes/demo.py), one per Entry."""
    from classes import demo as classes_demo
    from exercises import demo as exercises_demo

    exercises_file = settings.BASE_DIR / "exercises" / "demo"
    classes_file = settings.BASE_DIR / "classes" / "demo.py"
    found: list[Entry] = []

    def walk(where: Path, label: str, value: object) -> None:
        if isinstance(value, str):
            found.append(Entry(catalogue=where, line=0, msgid=label, msgstrs=[value]))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(where, f"{label}[{key!r}]", item)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(where, f"{label}[{index}]", item)

    walk(exercises_file, "WELSH", exercises_demo.WELSH)
    walk(exercises_file, "WELSH_CATEGORIES", exercises_demo.WELSH_CATEGORIES)
    walk(exercises_file, "DRAWING_ALT_CY", list(exercises_demo.DRAWING_ALT_CY.values()))
    walk(exercises_file, "HANDOUT_CY", exercises_demo.HANDOUT_CY)
    rows = [*classes_demo.TEACHERS, *classes_demo.VENUES, *classes_demo._courses(timezone.localdate())]
    for row in rows:
        label = row.get("slug") or row["name"]
        walk(classes_file, label, {key: value for key, value in row.items() if key.endswith("_cy")})
        for week, (_english, welsh) in row.get("cancel", {}).items():
            walk(classes_file, f"{label} cancel[{week}]", welsh)
    return found


def test_the_welsh_demo_content_uses_the_one_glossary_term_for_each_concept():
    glossary = terms()
    texts = welsh_demo_texts()
    assert len(texts) > 60
    breaches = [breach for entry in texts for breach in glossary_breaches(entry, glossary)]
    assert not breaches, f"{len(breaches)} Welsh demo texts break locale/cy/glossary.toml:\n" + "\n".join(
        breaches
    )


def test_the_glossary_catches_a_forbidden_variant_in_a_new_entry():
    entry = Entry(
        catalogue=GLOSSARY,
        line=1,
        msgid="The admin is now in Welsh.",
        msgstrs=["Mae’r weinyddiaeth yn Gymraeg."],
    )
    assert glossary_breaches(entry, terms())
