"""The settings read the environment and wire the apps: importing them changes nothing on disk."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Every directory the import asks to create, whether or not it exists already.
IMPORT_AND_LIST_MKDIRS = """
import pathlib
made = []
pathlib.Path.mkdir = lambda self, *args, **kwargs: made.append(str(self))
import backcare.settings
print(made)
"""


def test_importing_the_settings_makes_no_folder():
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_", "BACKCARE_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_LIST_MKDIRS],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[]"
