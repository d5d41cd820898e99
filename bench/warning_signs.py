"""How much CPU the warning-sign matcher costs on hostile and ordinary posts.

Run: .venv/bin/python bench/warning_signs.py
Budget: a few milliseconds of CPU for any post, whatever its length (issue 19;
the review's worst case, 10,000 × U+FDFA, cost about 1.4 s). Not a test:
timing on a busy CI machine is noise, so this prints numbers for a person to
read. It times ``Matcher.find`` with every built-in sign (English and Welsh)
and ten editor signs, the same work ``safety.signs.warning_signs`` does after
its one query for the editors' signs.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django

django.setup()

from safety import signs  # noqa: E402

SIZE = 10_000  # the longest comment the form takes
BUDGET_MS = 5.0
REPEATS = 30

EDITOR_SIGNS = [
    signs.Sign("vision blurry", "sight problems"),
    signs.Sign("Can't feel my TOES", "numb feet"),
    signs.Sign("chest pain", "chest pain"),
    signs.Sign("short of breath", "breathlessness"),
    signs.Sign("poen brest", "chest pain", "cy"),
    signs.Sign("methu anadlu", "breathlessness", "cy"),
    signs.Sign("golwg aneglur", "sight problems", "cy"),
    signs.Sign("pen tost", "headache", "both"),
    signs.Sign("night pain", "pain at night"),
    signs.Sign("poen nos", "pain at night", "cy"),
]


def distinct_words(size: int) -> str:
    """As many different short Latin words as fit: each is looked up on its own."""
    letters = "abcdefghilmnoprstuwy"
    words = (a + b + c for a in letters for b in letters for c in letters)
    text = ""
    for word in words:
        if len(text) + 4 > size:
            break
        text += word + " "
    return text


def fill(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


INPUTS = {
    # Hostile: the review's case, and others that defeat a shortcut.
    "U+FDFA (NFKD ×18)": "\ufdfa" * SIZE,
    "U+FDFA with spaces": fill("\ufdfa "),
    "one long word": "a" * SIZE,
    "one-letter words": fill("x "),
    "distinct short words": distinct_words(SIZE),
    "mutated sign words": fill("nghefn ddwy goes mhledren "),
    "sign words never close": fill("back one two three four five six seven fever "),
    "every sign word": fill("numb saddle bottom legs weak back fever fall cefn twymyn coesau "),
    "hyphenated words": fill("pen-glin-lower-back-pi "),
    "apostrophes": fill("can't'n'r'i'w "),
    "accents": fill("ŵŷâêîôû "),
    # Ordinary posts, long and short.
    "ordinary English (10,000)": fill(
        "My lower back is stiff after sitting all day at work, is that normal? "
    ),
    "ordinary Welsh (10,000)": fill("Mae fy nghefn yn stiff ar ôl eistedd drwy'r dydd yn y gwaith. "),
    "ordinary English (300)": "Thank you, this exercise helps my stiff back every morning. " * 5,
    "warning sign, Welsh (80)": "Ers ddoe mae fy mhen-ôl wedi mynd yn ddiffrwyth ac alla i ddim pasio dŵr.",
}


def cpu_ms(matcher: signs.Matcher, text: str) -> float:
    """The best of ``REPEATS`` runs: the matcher's own cost, not the machine's other work."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        matcher.find(text)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> int:
    matcher = signs.Matcher((*signs.built_in_signs(), *EDITOR_SIGNS))
    print(f"{len(matcher.signs)} signs; best of {REPEATS} runs, CPU time")
    worst = 0.0
    for name, text in INPUTS.items():
        elapsed = cpu_ms(matcher, text)
        worst = max(worst, elapsed)
        print(f"{name:28} {len(text):6} chars {elapsed:7.2f} ms")
    print(f"{'worst':28} {'':12} {worst:7.2f} ms (budget {BUDGET_MS:.0f} ms)")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
