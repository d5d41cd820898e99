"""Welsh grammar the catalogues can get wrong where code fills in a value: mutations and counts.

Welsh changes the first sound of a word after certain words (initial mutation): *ar ddydd
Mercher* (soft, after *ar*), *yng Nghapel Bangor* (nasal, after *yn*), *a chyrsiau* (aspirate,
after *a*). A placeholder cannot mutate: the code drops in “Dydd Mercher”, “Capel Bangor” or
“cyrsiau newydd” as they are, and the reader gets “ar Dydd Mercher”, “yn Capel Bangor”,
“am cyrsiau”. So no placeholder may follow such a word; reword so that it follows a colon or a
noun that causes no mutation: “Dechrau: %(date)s”, “yn ardal %(town)s”, “ynghylch %(choice)s”.

The words (MUTATING), chosen from the mutation rules of standard written Welsh:

- soft mutation: the prepositions *am, ar, at, dan, tan, dros, drwy, trwy, gan, heb, hyd, i, o,
  wrth*; *neu*; the numerals *dau, dwy*; *ei* (his), *dy*, *pa*, *mor*, *rhy*, *go*; *yn* before
  an adjective or noun (and nasal mutation before a place: *ym Machynlleth*) and its short form
  *’n*;
- nasal mutation: *fy*;
- aspirate mutation: *a* (and), *â* and *gyda* (with), *tua*, *na*, *tri*, *chwe*, *ei* (her).

Some of these words also change their own form with the next sound (FORM_CHANGING): *a/ac,
â/ag, na/nag, gyda/gydag*, and the article *y/yr* (which also mutates a feminine noun). Those
are wrong before any placeholder, a number included (“a 8” is read “ac wyth”).

A placeholder after a mutating word is accepted only when its value never mutates in writing
(UNMUTATED): numbers and times written in digits, e-mail and web addresses, and the names of
people, brands and sign-in providers (LLYW.CYMRU style leaves personal and brand names
unmutated: *gan Gwen*, *drwy Google*). Dates, weekdays, towns, venues, alert choices and model
names are words that mutate, so they must not follow a mutating word. A value in quotation
marks (*am “%(title)s”*) is cited as written and is not checked.

The plural tests: a Welsh count is a numeral and a singular noun (*5 sesiwn*), and *dau/dwy*
soft-mutates it (*2 ddiwrnod, 2 dudalen, 2 gwrs*), so every string with a count must be a plural
entry (ngettext, blocktranslate count) for the second form to exist at all.
"""

import re

from tests.welsh.welsh_po import CATALOGUES, Entry, all_entries, entries

SOFT = ["am", "ar", "at", "dan", "tan", "dros", "drwy", "trwy", "gan", "heb", "hyd", "i", "o", "wrth"]
SOFT += ["neu", "dau", "dwy", "ei", "dy", "pa", "mor", "rhy", "go", "yn"]
NASAL = ["fy"]
ASPIRATE = ["a", "â", "gyda", "tua", "na", "tri", "chwe"]
MUTATING = [*SOFT, *NASAL, *ASPIRATE, "ac", "ag", "nag", "gydag", "y", "yr"]
FORM_CHANGING = {"a", "ac", "â", "ag", "na", "nag", "gyda", "gydag", "y", "yr"}
# Values that are digits whatever the language.
NUMERIC = {
    "count",
    "counter",
    "days",
    "minutes",
    "seconds",
    "limit",
    "pages",
    "capacity",
    "places",
    "weeks",
    "number",
    "total",
    "left",
    "size",
    "width",
    "height",
    "megapixels",
    "waiting",
}
TIMES = {"start", "end", "earliest", "latest", "when"}
ADDRESSES = {
    "email",
    "recipient",
    "url",
    "activate_url",
    "site_domain",
    "from_email",
    "to_email",
    "password_reset_url",
}
NAMES = {"name", "teacher", "teachers", "provider", "provider_name", "site_name", "user_display", "username"}
UNMUTATED = NUMERIC | TIMES | ADDRESSES | NAMES
PLACEHOLDER = r"%\((?P<name>\w+)\)(?P<conversion>[sd])|%(?P<bare>[sd])|\{(?P<brace>\w*)\}"
AFTER_WORD = re.compile(
    r"(?<![\w’'])(?P<word>"
    + "|".join(map(re.escape, MUTATING))
    + r")\s+(?:<[^>]+>\s*)*(?P<placeholder>"
    + PLACEHOLDER
    + r")",
    re.IGNORECASE,
)
AFTER_N = re.compile(r"\w[’'](?P<word>n)\s+(?:<[^>]+>\s*)*(?P<placeholder>" + PLACEHOLDER + r")")


def is_number(match: re.Match[str]) -> bool:
    return match["conversion"] == "d" or match["bare"] == "d" or match["name"] in NUMERIC


def mutation_faults(entry: Entry) -> list[str]:
    faults = []
    for index, msgstr in enumerate(entry.msgstrs):
        for pattern in (AFTER_WORD, AFTER_N):
            for match in pattern.finditer(msgstr):
                word = match["word"].lower()
                name = match["name"] or match["brace"]
                if word in FORM_CHANGING:
                    why = f"“{word}” changes its own form with the next sound (a/ac, y/yr, â/ag, na/nag)"
                elif is_number(match) or name in UNMUTATED:
                    continue
                else:
                    why = f"“{word}” mutates the next word, and the inserted value cannot mutate"
                faults.append(
                    f"{entry.where()}\n    msgstr[{index}] has “{match.group(0)}”: {why}. Reword so the "
                    f"placeholder follows a colon or a word that causes no mutation "
                    f"(“Dechrau: %(date)s”, “yn ardal %(town)s”, “ynghylch %(choice)s”).\n    msgstr: {msgstr}"
                )
    return faults


def test_no_welsh_entry_puts_a_placeholder_right_after_a_word_that_mutates_it():
    faults = [fault for entry in all_entries() for fault in mutation_faults(entry)]
    assert not faults, f"{len(faults)} placeholders follow a mutating word:\n" + "\n".join(faults)


def test_the_mutation_check_flags_a_date_after_ar_and_accepts_it_after_a_colon():
    def entry(msgstr: str) -> Entry:
        return Entry(catalogue=CATALOGUES[0], line=1, msgid="x", msgstrs=[msgstr])

    assert mutation_faults(entry("Canslo’r sesiwn ar %(day)s"))
    assert mutation_faults(entry("Cyrsiau yn %(town)s"))
    assert mutation_faults(entry("…a %(count)d eitem arall."))
    assert mutation_faults(entry("mae’n <strong>%(status)s</strong>"))
    assert not mutation_faults(entry("Canslo’r sesiwn: %(day)s"))
    assert not mutation_faults(entry("cyrsiau newydd yn ardal %(town)s"))
    assert not mutation_faults(entry("Anfon neges at %(name)s"))
    assert not mutation_faults(entry("Tudalen %(number)s o %(total)s"))


# --- counts --------------------------------------------------------------------------------------

MAIN_CATALOGUE = CATALOGUES[0]
NUMERIC_PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)(?P<conversion>[sd])|%(?P<bare>d)")
# Numbers that are not a count of something: a position among others, with no noun to agree.
NOT_COUNTS = {
    "Page %(number)s of %(total)s",  # pagination: a position
    "Comments page %(number)s of %(total)s",  # the same, for comment pages
    "%(title)s: step %(number)d of %(total)d",  # follow-along: a position
    "Step %(number)s",  # a step's ordinal in the handout
    "%(left)s of %(total)s left",  # places: a fraction, no noun follows either number
    # File sizes from filesizeformat ("12.5 MB"): the unit comes with the number.
    "This file is too big (%(size)s). The largest picture we take is %(limit)s: please save it smaller "
    "and upload it again.",
}


def carries_a_number(msgid: str) -> bool:
    return any(
        match["conversion"] == "d" or match["bare"] or match["name"] in NUMERIC
        for match in NUMERIC_PLACEHOLDER.finditer(msgid)
    )


def test_every_string_with_a_count_in_our_catalogue_is_a_plural_entry():
    singular = [
        entry.where()
        for entry in entries(MAIN_CATALOGUE)
        if not entry.plural and carries_a_number(entry.msgid) and entry.msgid not in NOT_COUNTS
    ]
    assert not singular, (
        "These strings carry a count but are not plural entries: use ngettext (or blocktranslate "
        "count) so that Welsh can say “2 ddiwrnod”, or add them to NOT_COUNTS with the reason:\n"
        + "\n".join(singular)
    )


# After dau/dwy (the second Welsh form, n == 2) a noun takes the soft mutation: p→b, t→d, c→g,
# m→f, ll→l, rh→r, d→dd (and b→f, g→ dropped, which cannot be told from a radical here).
UNMUTATED_AFTER_TWO = re.compile(r"^(?:p|t|c(?!h)|m|ll|rh|d(?!d))", re.IGNORECASE)
# Nouns whose mutated form starts with d (from t): dudalen from tudalen.
MUTATED_FROM_T = {"dudalen", "dasg", "daflen", "dasgau"}
AFTER_COUNT = re.compile(r"(?P<placeholder>%\(\w+\)[sd]|%[sd]) (?P<noun>[a-zà-ÿŵŷ’-]+)")


def counted(entry: Entry) -> set[str]:
    """The placeholders that hold n: in English the word after them changes with the plural."""
    singular = {match["placeholder"]: match["noun"] for match in AFTER_COUNT.finditer(entry.msgid)}
    plural = {match["placeholder"]: match["noun"] for match in AFTER_COUNT.finditer(entry.msgid_plural)}
    return {placeholder for placeholder, noun in plural.items() if singular.get(placeholder) != noun}


def after_two_faults(entry: Entry) -> list[str]:
    if len(entry.msgstrs) < 2:
        return []
    second, count = entry.msgstrs[1], counted(entry)
    return [
        f"{entry.where()}\n    msgstr[1] (n = 2) has “{match.group(0)}”: after dau/dwy the noun "
        f"soft-mutates (2 ddiwrnod, 2 dudalen, 2 gwrs).\n    msgstr[1]: {second}"
        for match in AFTER_COUNT.finditer(second)
        if match["placeholder"] in count
        and UNMUTATED_AFTER_TWO.match(match["noun"])
        and match["noun"].lower() not in MUTATED_FROM_T
    ]


def test_the_second_plural_form_mutates_the_noun_after_two():
    faults = [fault for entry in all_entries() if entry.plural for fault in after_two_faults(entry)]
    assert not faults, f"{len(faults)} plural entries do not mutate after 2:\n" + "\n".join(faults)
