"""Read the four Welsh catalogues entry by entry, for the tests that check their wording.

A small reader of the gettext .po format (the project keeps no PO library): each entry's
msgctxt, msgid, msgid_plural, its msgstr or msgstr[n], its "#:" locations and its flags.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"
CATALOGUES = (
    LOCALE / "cy" / "LC_MESSAGES" / "django.po",
    LOCALE / "admin" / "cy" / "LC_MESSAGES" / "django.po",
    LOCALE / "admin" / "cy" / "LC_MESSAGES" / "djangojs.po",
    LOCALE / "allauth" / "cy" / "LC_MESSAGES" / "django.po",
)
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    catalogue: Path
    line: int
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstrs: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def plural(self) -> bool:
        return bool(self.msgid_plural)

    def where(self) -> str:
        """Where a person finds the entry: catalogue:line, the msgid and the code that uses it."""
        name = self.catalogue.relative_to(settings.BASE_DIR).as_posix()
        used = f" (used in {', '.join(self.locations[:3])})" if self.locations else ""
        return f"{name}:{self.line} msgid {self.msgid!r}{used}"


def unquote(text: str) -> str:
    return ast.literal_eval(text)


def entries(catalogue: Path) -> list[Entry]:
    """Every entry of one catalogue except the header (msgid ""); obsolete (#~) entries skipped."""
    found: list[Entry] = []
    current: Entry | None = None
    field_name = ""
    for number, raw in enumerate(catalogue.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if current is not None and current.msgstrs:
                found.append(current)
                current = None
            continue
        if current is None:
            current = Entry(catalogue=catalogue, line=number)
        if line.startswith("#:"):
            current.locations += line[2:].split()
        elif line.startswith("#,"):
            current.flags += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            field_name, text = match.group(1), unquote(match.group(2))
            if field_name.startswith("msgstr"):
                current.msgstrs.append(text)
            else:
                setattr(current, field_name, text)
        elif line.startswith('"'):
            text = unquote(line)
            if field_name.startswith("msgstr"):
                current.msgstrs[-1] += text
            else:
                setattr(current, field_name, getattr(current, field_name) + text)
    if current is not None and current.msgstrs:
        found.append(current)
    return [entry for entry in found if entry.msgid]


def all_entries() -> list[Entry]:
    return [entry for catalogue in CATALOGUES for entry in entries(catalogue)]
