"""The Welsh catalogue (locale/cy) is complete: every string the code marks, each one translated.

Uses gettext's own tools (installed by bin/system-deps), which read the
catalogue exactly as compilemessages does.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"
NOT_SOURCE = (
    ".git",
    ".venv",
    "node_modules",
    "var",
    "staticfiles",
    "vendor",
    "test-artifacts",
    "tests",
    "bench",
)


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: bin/system-deps installs gettext"
    return path


def test_every_string_in_the_welsh_catalogue_is_translated_and_none_is_fuzzy():
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert "translated message" in statistics
    assert "fuzzy" not in statistics, statistics
    assert "untranslated" not in statistics, statistics


def test_the_catalogue_has_no_left_over_entries():
    assert "\n#~ " not in CATALOGUE.read_text(encoding="utf-8")


def test_every_string_marked_for_translation_in_the_code_is_in_the_welsh_catalogue(tmp_path: Path):
    """makemessages on a copy of the project; the copy's catalogue gains any string ours lacks."""
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE, "*.mo", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    # msgcmp: every message of the fresh catalogue (the code's strings) must be in ours.
    result = subprocess.run(
        [
            gettext_tool("msgcmp"),
            "--use-untranslated",
            "--use-fuzzy",
            str(CATALOGUE),
            str(copy / CATALOGUE.relative_to(settings.BASE_DIR)),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C"},
    )
    fresh = (copy / CATALOGUE.relative_to(settings.BASE_DIR)).read_text(encoding="utf-8").splitlines()
    missing = [
        "\n".join(fresh[int(line) - 4 : int(line)])
        for line in re.findall(r"django\.po:(\d+): this message is used", result.stderr)
    ]
    assert result.returncode == 0, "Missing from locale/cy (run makemessages, then translate):\n" + "\n".join(
        missing
    )
