"""`make help` is the list a newcomer reads first: it must name every target the Makefile has."""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "/usr/bin/make"


def phony_targets() -> set[str]:
    """The targets declared in the Makefile's ``.PHONY`` lines (a line may continue with ``\\``)."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return {name for line in re.findall(r"^\.PHONY:(.*)$", text, flags=re.MULTILINE) for name in line.split()}


def make(*args: str) -> str:
    return subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def help_lines(output: str) -> dict[str, str]:
    """Each ``make <target>  <what it does>`` line of the help, as target: description."""
    return dict(re.findall(r"^make (\S+)\s+(.+)$", output, flags=re.MULTILINE))


def test_make_help_lists_every_phony_target_with_a_line_saying_what_it_does():
    listed = help_lines(make("help"))
    assert phony_targets() - set(listed) == set()
    assert all(description.strip() for description in listed.values())


def test_make_help_lists_no_target_the_makefile_does_not_declare_phony():
    assert set(help_lines(make("help"))) - phony_targets() == set()


def test_make_with_no_target_prints_the_help():
    assert make() == make("help")


def test_the_quick_loop_and_the_full_run_are_both_there():
    assert {"test", "test-fast"} <= set(help_lines(make("help")))
