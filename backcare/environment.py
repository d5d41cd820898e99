"""Reading the environment for the settings: the environment file, yes/no values, numbers, lists.

A value that cannot be read stops the settings with ``ImproperlyConfigured`` naming the variable,
never a development default silently used instead.
"""

import os
from collections.abc import MutableMapping

from django.core.exceptions import ImproperlyConfigured
from dotenv.parser import parse_stream


def env_file_values(path: str) -> dict[str, str]:
    """The NAME=value lines of an environment file, parsed by python-dotenv.

    systemd's units read the same file with ``EnvironmentFile=``; the two
    parsers agree on plain values and on single and double quotes without
    backslashes, which is all ``deploy/.env.example`` uses
    (tests/project/test_env_file.py holds them to it). A line the parser cannot
    read is an error here, never a value silently left out.
    """
    try:
        with open(path, encoding="utf-8") as stream:
            bindings = list(parse_stream(stream))
    except OSError as error:
        raise ImproperlyConfigured(
            f"BACKCARE_ENV_FILE names {path}, which cannot be read ({error.strerror}). "
            "BackCare stops rather than run on development defaults."
        ) from None
    broken = [str(binding.original.line) for binding in bindings if binding.error]
    if broken:
        raise ImproperlyConfigured(
            f"{path}: cannot read line {', '.join(broken)} (NAME=value, quote with '...')."
        )
    return {binding.key: binding.value for binding in bindings if binding.key and binding.value is not None}


def load_env_file(path: str, *, into: MutableMapping[str, str]) -> None:
    """Add the file's variables to ``into`` (``os.environ``), where it does not have them yet."""
    for name, value in env_file_values(path).items():
        into.setdefault(name, value)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value such as 1 or 0, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
