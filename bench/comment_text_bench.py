"""How long the comment text filter takes on hostile 65,000-character input.

Run: .venv/bin/python bench/comment_text_bench.py
Budget: under 50 ms for each input (DESIGN.md). Not a test: timing on a
busy CI machine is noise, so this prints numbers for a person to read.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django

django.setup()

from comments.templatetags.comments import comment_text  # noqa: E402

SIZE = 65_000
INPUTS = {
    "one long word": "a" * SIZE,
    "dots": "." * SIZE,
    "www. repeated": ("www." * SIZE)[:SIZE],
    "unclosed brackets": ("(" * SIZE)[:SIZE],
    "brackets then url": ("[" * (SIZE - 30)) + "http://example.org/" + "]" * 10,
    "many short urls": ("http://a.bc " * SIZE)[:SIZE],
    "trailing punctuation": "http://example.org/" + "." * (SIZE - 19),
    "emails": ("a@b.c " * SIZE)[:SIZE],
    "ampersands and lt": ("&lt;" * SIZE)[:SIZE],
    "quotes and colons": ('":' * SIZE)[:SIZE],
    "new lines": ("x\n" * SIZE)[:SIZE],
    "one dotted domain": ("a." * SIZE)[:SIZE],
    "at sign then dots": "a@" + ("b." * SIZE)[: SIZE - 2],
    "url with long query": "https://example.org/?" + "q=1&" * ((SIZE - 21) // 4),
}


def main() -> int:
    worst = 0.0
    for name, text in INPUTS.items():
        start = time.perf_counter()
        comment_text(text)
        elapsed = (time.perf_counter() - start) * 1000
        worst = max(worst, elapsed)
        print(f"{name:24} {elapsed:8.1f} ms")
    print(f"{'worst':24} {worst:8.1f} ms (budget 50 ms)")
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    raise SystemExit(main())
