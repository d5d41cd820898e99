"""Welsh word forms for the warning-sign matcher: mutations, compounds, filler, and the Welsh signs.

Welsh changes the *start* of a word after certain words (initial mutations):
*cefn* is *fy nghefn* (my back), *ei gefn* (his back), *ei chefn* (her back);
*coes* is *y ddwy goes* (both legs). A sign lists each word in its radical
(dictionary) form, and every word of a text is also tried in the radical forms
its first letters could come from. The table below follows
``../shared/reviews/2026-12-welsh.md`` (Appendix) and the usual grammars.
"""

from __future__ import annotations

import re

# What a mutated start can come from, longest first: (mutated start, radical starts).
# Soft: p→b, t→d, c→g, b→f, d→dd, g→(dropped), ll→l, m→f, rh→r.
# Nasal: p→mh, t→nh, c→ngh, b→m, d→n, g→ng. Aspirate: p→ph, t→th, c→ch.
_MUTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ngh", ("c",)),
    ("mh", ("p",)),
    ("nh", ("t",)),
    ("ng", ("g",)),
    ("ph", ("p",)),
    ("th", ("t",)),
    ("ch", ("c",)),
    ("dd", ("d",)),
    ("ff", ()),  # a radical ff (ffaelu) is never a mutation of anything
    ("ll", ()),
    ("rh", ()),
    ("m", ("b",)),
    ("n", ("d",)),
    ("b", ("p",)),
    ("d", ("t",)),
    ("g", ("c",)),
    ("f", ("b", "m")),
    ("l", ("ll", "gl")),
    ("r", ("rh", "gr")),
)
_VOWELS = frozenset("aeiouwy")
_BY_START = dict(_MUTATIONS)


def radicals(word: str) -> tuple[str, ...]:
    """The radical forms ``word`` could be a mutation of (not ``word`` itself).

    ``radicals("nghefn") == ("cefn",)``, ``radicals("wan") == ("gwan",)``.
    Only the longest matching start counts: *ddwy* is *dwy*, never *tdwy*.
    """
    for size in (3, 2, 1):
        start = word[:size]
        sources = _BY_START.get(start) if len(start) == size else None
        if sources is not None:
            return tuple(source + word[size:] for source in sources)
    if word[:1] in _VOWELS:
        return ("g" + word,)
    return ()


def mutations(word: str) -> frozenset[str]:
    """The mutated forms of a radical ``word`` that ``radicals`` takes back to it."""
    candidates = {
        start + word[len(source) :]
        for start, sources in _MUTATIONS
        for source in sources
        if word.startswith(source)
    }
    if word[:1] == "g" and word[1:2] in _VOWELS:
        candidates.add(word[1:])
    return frozenset(form for form in candidates if word in radicals(form))


# Written apart, with a hyphen or as one word, each is one word to the matcher: "pen-ôl",
# "pen ôl" and "penôl" are all "penol" (the bottom), and "pen-glin" (the knee) is "penglin",
# never "pen" + "glin", so "poen yn fy mhen-glin ar ôl cerdded" holds no "pen … ôl".
# Applied to lower-case text without accents, before it is split into words.
COMPOUNDS = re.compile(r"\b(pen|ben|mhen|phen)[\s-]*(ol|glin|lin)\b|\b(pi)[\s-]*(pi)\b")


def join_compounds(text: str) -> str:
    return COMPOUNDS.sub(lambda match: "".join(part for part in match.groups() if part), text)


# The joined compounds, which a shorter sign word never matches as "word + ending":
# "penglin" is not "pen" (head) with an ending.
COMPOUND_WORDS = ("penol", "penglin", "penlin", "pipi")


def shortest_sign_word(form: str) -> int:
    """How long a sign word must be to match ``form``: a compound is matched whole, or not at all."""
    for compound in COMPOUND_WORDS:
        if form.startswith(compound):
            return len(compound)
    return 0


# Short endings Welsh joins to a word with an apostrophe: "coesau'n" (legs are), "mae'r" (is the),
# "i'w", "a'i", "i'th", "i'ch". They are split off (as filler) rather than glued on like the
# English "can't" → "cant". Applied to lower-case text, before apostrophes are removed.
CLITICS = re.compile(r"['’‘`](n|r|i|w|m|th|ch)\b")


def split_clitics(text: str) -> str:
    return CLITICS.sub(r" \1", text)


# Welsh words that carry no meaning of their own between the words of a sign. Negators
# (dim, ddim, methu, ffaelu, heb, sai) are *not* here: "methu pasio dŵr" is the sign.
_FILLER_WORDS = """
    y yr r a ac ag i o yn n fy dy ei ein eich eu mae ma maen wedi di gen gyda gydag efo
    ar bod fod yw ydy ydi sy sydd iawn braidd dw dwi wi rwy rwyf rydw ydw odw mi fi ni chi
    ti nhw e fe hi ond hefyd ers yna yno na nad oedd roedd ro ges gafodd cael gael gaf
    mor eithaf tipyn ychydig rhyw hyn hynny yma yng ym m w th ch ai alla allai
    fedra fedrai gallu allu medru fedru nawr rwan heddiw ddoe
    """
FILLER = frozenset(_FILLER_WORDS.split())

_SADDLE = "numbness in the saddle area"
_GENITALS = "numbness around the bottom or genitals"
_URINE = "trouble passing urine"
_CONTROL = "trouble controlling the bladder or bowels"
_LEGS = "weakness or numbness in both legs"
_FEVER = "back pain with a fever"
_FALL = "back pain after a fall or accident"
_WEIGHT = "unexplained weight loss"

# "Can't", as people write it: methu, ffaelu and ffili (South), "sai'n gallu" (South), and
# "alla i ddim / fedra i ddim / dw i ddim yn gallu", whose "ddim" is "dim" unmutated.
_CANT = ("methu", "ffaelu", "ffili", "sai", "dim")

# Numb, without feeling, pins and needles, gone dead (fferru), in radical forms: "heb deimlad"
# is "heb teimlad" here, "yn ddiffrwyth" is "diffrwyth". Not "mynd i gysgu" (gone to sleep):
# "methu cysgu achos poen yn fy mhen-ôl" is ordinary sciatica; nor "pigo" (a stinging pain).
_NUMB = (
    "diffrwyth",
    "dideimlad",
    "dim teimlad",
    "colli teimlad",
    "diffyg teimlad",
    "heb teimlad",
    *(f"{cant} teimlo" for cant in _CANT),
    "fferru",
    "pinnau bach",
    "goglais",
    "numb",
)
# The saddle area: "ardal y cyfrwy"; the bottom and genitals: pen-ôl, tin, afl, gwerddyr,
# organau rhywiol / cenhedlu, rhannau preifat, "rhwng fy nghoesau".
_SADDLE_PARTS = ("cyfrwy", "saddle")
_GENITAL_PARTS = ("penol", "tin", "afl", "gwerddyr", "organau", "preifat", "rhwng coes")

BUILT_IN_CY: list[tuple[str, str]] = [
    *[(f"{numb} {part}", _SADDLE) for numb in _NUMB for part in _SADDLE_PARTS],
    # Not "numb … tin": in English "numb and tingly" hands would match.
    *[
        (f"{numb} {part}", _GENITALS)
        for numb in _NUMB
        for part in _GENITAL_PARTS
        if (numb, part) != ("numb", "tin")
    ],
    # Passing water: "methu pasio dŵr", "trafferth pasio dŵr", "alla i ddim pasio dŵr",
    # "methu gwneud dŵr" (North), "methu pi-pi", "anhawster troethi", "dim dŵr yn dod".
    ("pasio dwr", _URINE),
    *[(f"{cant} {what}", _URINE) for cant in _CANT for what in ("gwneud dwr", "pipi", "wee", "pee")],
    ("troethi", _URINE),
    ("dim dwr dod", _URINE),
    # Control: "methu rheoli fy mhledren", "colli rheolaeth ar fy ngholuddion", "gwlychu fy hun",
    # "baeddu fy hun", "methu dal fy nŵr", "anymataliaeth"; with the English words people mix in.
    ("rheol pledr", _CONTROL),  # pledren, and "pledran" as many say it
    ("rheol coludd", _CONTROL),
    ("rheol perfedd", _CONTROL),
    ("rheol bladder", _CONTROL),
    ("rheol bowel", _CONTROL),
    ("gwlych hun", _CONTROL),
    ("gwlych gwely", _CONTROL),
    ("baedd hun", _CONTROL),
    *[(f"{cant} dal dwr", _CONTROL) for cant in _CANT],
    ("gollwng dwr", _CONTROL),
    ("anymataliaeth", _CONTROL),
    # Both legs: "y ddwy goes yn wan", "fy nwy goes yn ddiffrwyth", "gwendid yn y ddwy goes",
    # "coesau gwan", "coesau'n gwegian", "coesau fel jeli", "aeth fy nghoesau oddi tanaf".
    # "Coesa" also finds the spoken "coesa" (North); one leg ("coes") is not both legs.
    *[
        (f"dwy coes {word}", _LEGS)
        for word in ("gwan", "gwendid", "diffrwyth", "dideimlad", "pinnau", "fferru", "numb", "weak")
    ],
    *[
        (f"coesa {word}", _LEGS)
        for word in ("gwan", "gwendid", "diffrwyth", "dideimlad", "gwegian", "jeli", "numb", "weak")
    ],
    ("coesa oddi tan", _LEGS),
    ("coesa rhoi ffordd", _LEGS),
    ("both legs gwan", _LEGS),
    # Fever: "mae gen i dwymyn", "gwres uchel", "tymheredd uchel", with "poen cefn",
    # "mae fy nghefn yn brifo", "gwayw yn fy nghefn". Not "tymheredd" alone: "mae fy nghefn
    # yn well pan mae'r tymheredd yn gynnes" is the weather; nor "gwres": a heat pack.
    ("cefn twymyn", _FEVER),
    ("cefn tymheredd uchel", _FEVER),
    ("cefn gwres uchel", _FEVER),
    ("cefn fever", _FEVER),
    ("back twymyn", _FEVER),
    # A fall or an accident: "ges i gwymp", "ar ôl i mi syrthio / ddisgyn / lithro / faglu",
    # "glanio ar fy nghefn", "damwain car", "gwrthdrawiad". "Disgyn" only after "ar ôl": pain
    # "yn disgyn i lawr fy nghoes" is sciatica, not a fall.
    # "Llithro" alone slides a knee in the exercises ("gorwedd ar y cefn … yn llithro"): only
    # after "ar ôl", or with landing on the back.
    *[(f"{word} cefn", _FALL) for word in ("cwymp", "syrthi", "bagl", "damwain", "glanio")],
    ("ol disgyn", _FALL),
    ("ol syrthi", _FALL),
    ("ol llithr", _FALL),
    ("damwain car", _FALL),
    ("damwain ffordd", _FALL),
    ("damwain beic", _FALL),
    ("gwrthdrawiad", _FALL),
    # Weight: "colli pwysau heb drio / heb reswm / heb esboniad" (not "colli pwysau" alone:
    # readers lose weight on purpose to help their backs).
    ("colli pwysau heb", _WEIGHT),
    ("colli weight heb", _WEIGHT),
]
