"""One environment file, read the same way by systemd and by every command an operator types.

systemd's units read ``/etc/backcare/env`` with ``EnvironmentFile=``; commands typed on
the server read it through ``bin/manage`` and the settings' own parser (python-dotenv).
These tests hold ``deploy/.env.example`` to the syntax both agree on, and keep the old
failure mode away: bash sourcing the file stopped at the first value with a space, so
``migrate`` ran against a fresh SQLite file while the site ran on PostgreSQL.
"""

import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backcare.environment import env_file_values

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / ".env.example"
DEPLOYING = ROOT / "docs" / "deploying.md"

# Variables a test run may carry that would change what the settings read.
SETTINGS_PREFIXES = ("DJANGO_", "DATABASE_", "BACKCARE_", "REDIS_", "PAGE_CACHE", "TASKS_BACKEND")


def systemd_environment_file(text: str) -> dict[str, str]:
    """Parse ``text`` as systemd parses an ``EnvironmentFile=`` (systemd.exec(5)).

    A transcription of the state machine in systemd's ``src/basic/env-file.c``: lines of
    ``KEY=VALUE``; lines starting with ``#`` or ``;`` are comments (a ``#`` after a value is
    part of the value); whitespace around the key and around an unquoted value is dropped;
    single quotes keep everything; double quotes keep everything but ``\\"``, ``\\\\``,
    ``\\``` and ``\\$``, which lose their backslash; outside quotes a backslash keeps the
    next character; a backslash before a newline continues the line. A line without
    ``=`` or with an invalid name is ignored. (Before v254 a comment ending in a
    backslash also swallowed the next line; the example has no backslash at all.)
    """
    values: dict[str, str] = {}
    state, key, value = "pre_key", "", ""
    trailing = None  # where trailing whitespace of an unquoted value starts

    def push() -> None:
        name = key.strip()
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            values[name] = value

    for char in text:
        if state == "pre_key":
            if char in "#;":
                state = "comment"
            elif char not in " \t\r\n":
                state, key, value = "key", char, ""
        elif state == "key":
            if char in "\r\n":
                state = "pre_key"
            elif char == "=":
                state, trailing = "pre_value", None
            else:
                key += char
        elif state == "pre_value":
            if char in "\r\n":
                push()
                state = "pre_key"
            elif char == "'":
                state = "single"
            elif char == '"':
                state = "double"
            elif char == "\\":
                state = "value_escape"
            elif char not in " \t":
                state, value, trailing = "value", value + char, None
        elif state == "value":
            if char in "\r\n":
                value = value[:trailing] if trailing is not None else value
                push()
                state = "pre_key"
            elif char == "\\":
                state, trailing = "value_escape", None
            else:
                blank = char in " \t"
                trailing = (len(value) if trailing is None else trailing) if blank else None
                value += char
        elif state == "value_escape":
            state = "value"
            if char not in "\r\n":
                value += char
        elif state == "single":
            if char == "'":
                state = "pre_value"
            else:
                value += char
        elif state == "double":
            if char == '"':
                state = "pre_value"
            elif char == "\\":
                state = "double_escape"
            else:
                value += char
        elif state == "double_escape":
            state = "double"
            if char in '"\\`$':
                value += char
            elif char not in "\r\n":
                value += "\\" + char
        elif state == "comment" and char in "\r\n":
            state = "pre_key"
    if state == "value" and trailing is not None:
        value = value[:trailing]
    if state not in {"pre_key", "key", "comment"}:
        push()
    return values


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("A=plain", {"A": "plain"}),
        ("A = spaced out  ", {"A": "spaced out"}),
        ("A='Site Owner <o@example.org>'", {"A": "Site Owner <o@example.org>"}),
        ('A="x \\"y\\" \\n"', {"A": 'x "y" \\n'}),
        ("A=one\\\ntwo", {"A": "onetwo"}),
        ("A=x # not a comment", {"A": "x # not a comment"}),
        ("# A=commented\n; B=commented", {}),
        ("NOEQUALS\nA=", {"A": ""}),
    ],
)
def test_the_systemd_parser_here_follows_the_documented_rules(line, expected):
    assert systemd_environment_file(line + "\n") == expected


def test_the_example_reads_the_same_with_systemds_rules_and_with_the_settings():
    # Backslashes are where the readers (and systemd's own versions) differ.
    assert "\\" not in EXAMPLE.read_text()
    by_systemd = systemd_environment_file(EXAMPLE.read_text())
    ours = env_file_values(str(EXAMPLE))
    assert ours == by_systemd
    assert ours["DJANGO_ADMINS"] == "Site Owner <owner@example.org>"
    assert ours["BACKCARE_PRACTICE_PLACE"] == "Aberystwyth, Ceredigion"
    assert ours["DATABASE_URL"].startswith("postgresql://")


@pytest.mark.skipif(not shutil.which("bash"), reason="bash is not installed")
def test_bash_sourcing_the_example_gets_every_value_systemd_gets():
    """Not the documented way, but an operator who sources the file by habit must not
    be left on the development database by the first value with a space in it."""
    script = 'set -a; . "$1"; set +a; env -0'
    result = subprocess.run(
        [shutil.which("bash"), "-c", script, "bash", str(EXAMPLE)],
        env={},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    by_bash = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    by_systemd = systemd_environment_file(EXAMPLE.read_text())
    assert {name: by_bash.get(name) for name in by_systemd} == by_systemd


def test_a_line_the_parser_cannot_read_stops_the_settings_with_its_number(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    broken = tmp_path / "env"
    broken.write_text("DJANGO_DEBUG=0\nDJANGO_ADMINS='Site Owner <o@example.org>\n")
    with pytest.raises(ImproperlyConfigured, match="line 2"):
        env_file_values(str(broken))


def sh_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL)


def test_the_docs_never_source_the_env_file_and_type_every_command_through_bin_manage():
    commands = "\n".join(sh_blocks(DEPLOYING.read_text()))
    assert "bin/manage migrate" in commands
    assert not re.search(r"(^|[;&|]\s*)(\.|source)\s+\S*env\b", commands, re.MULTILINE)
    assert [line for line in commands.splitlines() if re.search(r"python\S*\s+manage\.py", line)] == []


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {name: value for name, value in os.environ.items() if not name.startswith(SETTINGS_PREFIXES)}
    return subprocess.run(
        command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def production_env_file(tmp_path: Path) -> Path:
    """The example with a database of the test's own: everything else as an operator copies it."""
    database = tmp_path / "site.sqlite3"
    text = re.sub(r"^DATABASE_URL=.*$", f"DATABASE_URL=sqlite:///{database}", EXAMPLE.read_text(), flags=re.M)
    env_file = tmp_path / "env"
    env_file.write_text(text)
    return env_file


SHOW_SETTINGS = (
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.DATABASES['default']['NAME'], s.ADMINS, s.ALLOWED_HOSTS, sep='|')"
)


def test_bin_manage_runs_commands_on_the_env_files_database_and_the_real_environment_wins(tmp_path):
    env_file = production_env_file(tmp_path)
    user = pwd.getpwuid(os.getuid()).pw_name  # bin/manage run by root switches to BACKCARE_USER
    result = run(
        ["bin/manage", "shell", "-v0", "-c", SHOW_SETTINGS],
        BACKCARE_ENV_FILE=str(env_file),
        BACKCARE_USER=user,
        DJANGO_ALLOWED_HOSTS="override.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "False",
        str(tmp_path / "site.sqlite3"),
        "['Site Owner <owner@example.org>']",
        "['override.example.org']",
    ]


def test_a_named_env_file_that_cannot_be_read_stops_the_command(tmp_path):
    result = run([sys.executable, "manage.py", "check"], BACKCARE_ENV_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert f"BACKCARE_ENV_FILE names {tmp_path / 'missing'}, which cannot be read" in result.stderr


def test_production_settings_without_a_database_url_refuse_the_development_database(tmp_path):
    result = run(
        [sys.executable, "manage.py", "migrate", "--check"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="test-only-" + "k3y" * 20,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
