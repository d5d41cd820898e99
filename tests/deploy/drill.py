"""The operator's guide as a script: the drill reads its commands from docs/deploying.md.

``Guide`` splits the guide's ``sh`` blocks into the commands an operator types, under
the heading each sits in. ``Machine`` plays them on this machine as on a server: each
command runs in bash, as root, with the server's paths (``/srv/backcare``,
``/etc/backcare``, ``/etc/systemd/system`` …) pointing into the drill's folder, and with
``systemctl``, ``systemd-run`` and ``editor`` on the PATH played by the drill
(``fake_systemd.py``; the editor fills in the environment file with the drill's values).

A few commands cannot run here as written (apt, certbot, the package's own Redis and
nginx services, an interactive password prompt). Each has a stand-in in ``STAND_INS``
that does the same job on loopback and says why; ``tests/project/test_drill_guide.py``
checks that every block of the guide is either played or listed with a reason, and that
no stand-in is left over when the guide changes.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploying.md"

# The server's paths, and where the drill keeps each (under its own folder).
SERVER_PATHS = (
    "/srv/backcare",
    "/etc/backcare",
    "/etc/systemd/system",
    "/etc/redis",
    "/etc/nginx",
    "/etc/letsencrypt",
    "/var/backups/backcare",
    "/var/cache",
    "/var/www/letsencrypt",
    "/var/mail",
)
APP_ADDRESS = "127.0.0.1:8000"  # where the units and the guide expect gunicorn


@dataclass(frozen=True)
class Command:
    section: str
    block: int  # which sh block of the guide, counted from 0
    text: str

    @property
    def bare(self) -> str:
        """The command without a trailing comment."""
        return re.sub(r"\s+#\s.*$", "", self.text).strip()


@dataclass
class Guide:
    commands: list[Command]

    @classmethod
    def read(cls, path: Path = GUIDE) -> Guide:
        commands, section, in_block, block, pending = [], "", False, -1, ""
        for line in path.read_text().splitlines():
            if not in_block and line.startswith("#"):
                section = line.lstrip("#").strip()
            elif line.strip() == "```sh":
                in_block, block = True, block + 1
            elif in_block and line.strip() == "```":
                in_block = False
            elif in_block:
                line = pending + line.strip()
                pending = ""
                if line.endswith("\\"):
                    pending = line[:-1].rstrip() + " "
                elif line and not line.startswith("#"):
                    commands.append(Command(section, block, line))
        return cls(commands)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(command.section for command in self.commands))

    def section(self, heading: str) -> list[Command]:
        found = [command for command in self.commands if command.section == heading]
        assert found, f"docs/deploying.md has no sh block under {heading!r}"
        return found

    def block(self, heading: str, containing: str) -> list[Command]:
        """The sh block under ``heading`` with a command starting with ``containing``: all its commands."""
        blocks = {c.block for c in self.section(heading) if c.bare.startswith(containing)}
        assert len(blocks) == 1, f"{heading!r}: {len(blocks)} blocks have a command starting {containing!r}"
        return [command for command in self.commands if command.block in blocks]


@dataclass(frozen=True)
class StandIn:
    """A command the drill cannot run as written, and what it does instead."""

    pattern: str
    why: str
    method: str  # the Machine method that plays it

    def matches(self, command: Command) -> bool:
        return re.fullmatch(self.pattern, command.bare) is not None


STAND_INS = (
    StandIn(
        r"apt-get install .*",
        "the machine's packages come from bin/system-deps; the drill checks each "
        "program the line installs is there (certbot cannot reach Let's Encrypt from here)",
        "check_packages",
    ),
    StandIn(
        r"systemctl enable --now redis-server@(\w+)",
        "Debian's redis-server@ unit runs redis-server /etc/redis/redis-NAME.conf: the drill runs it so, "
        "on a free port",
        "start_redis_instance",
    ),
    StandIn(
        r'echo "include /etc/redis/backcare\.conf" >> /etc/redis/redis\.conf && systemctl restart redis-server',
        "Debian's redis-server service is the machine's own: the drill starts redis-server on a free port "
        "with Debian's main settings and the include the line adds",
        "start_redis",
    ),
    StandIn(
        r"git clone … /srv/backcare && cd /srv/backcare && make install assets messages",
        "clones the commit under test (the guide's … is the project's address); the virtualenv and npm "
        "packages are those already installed for the tests, which make is told are up to date",
        "clone",
    ),
    StandIn(
        r'su postgres -c "createuser --pwprompt backcare && createdb -O backcare backcare"',
        "runs as written, with a role and database named for the drill (the machine's own backcare role "
        "is the tests'), the password typed at the prompt",
        "create_database",
    ),
    StandIn(
        r'su postgres -c "dropdb backcare && createdb -O backcare backcare"',
        "runs as written, on the drill's role and database",
        "recreate_database",
    ),
    StandIn(
        r"certbot certonly .*",
        "Let's Encrypt cannot reach this machine: a throwaway certificate "
        "authority signs a certificate for 127.0.0.1 where certbot would write it",
        "certificate",
    ),
    StandIn(
        r"python3 deploy/render\.py (\S+)((?: [A-Z_]+=\S*)*) > (\S+)",
        "runs as written, with NAME=value arguments for the drill's ports and folders before "
        "the guide's own (its way to override a value)",
        "render",
    ),
    StandIn(
        r"nginx -t && systemctl reload nginx",
        "Debian's nginx service is the machine's own: the drill checks its nginx's configuration "
        "and reloads it",
        "reload_nginx",
    ),
    StandIn(
        r"rm /etc/nginx/sites-enabled/default && nginx -t && systemctl reload nginx",
        "Debian's nginx service is the machine's own: the drill runs nginx -t and starts nginx on the "
        "sites the guide enabled",
        "start_nginx",
    ),
    StandIn(
        r"ssh example\.org (.*)",
        "the drill is already on the server: the command after ssh runs here",
        "on_the_server",
    ),
    StandIn(
        r"bin/manage restore /var/backups/backcare/backcare-\d+T\d+Z",
        "the guide's example name: the drill restores its newest backup",
        "restore_newest",
    ),
)

# Commands of the guide the drill does not play (by how they start), and why.
NOT_PLAYED = {
    "BACKCARE_REQUIRE_MFA_FOR_EDITORS=1": "a line for /etc/backcare/env, not a command (the drill's "
    "environment file has it from the example)",
}


def not_played(command: Command) -> str | None:
    """Why the drill leaves ``command`` out, or None when it plays it."""
    return next((why for start, why in NOT_PLAYED.items() if command.bare.startswith(start)), None)


def stand_in_for(command: Command) -> StandIn | None:
    found = [stand_in for stand_in in STAND_INS if stand_in.matches(command)]
    assert len(found) <= 1, f"two stand-ins match {command.text!r}"
    return found[0] if found else None


@dataclass
class Machine:
    """The drill's server: a folder holding the server's paths, and a shell that types into it."""

    root: Path
    app_port: int
    env: dict[str, str]
    played: list[Command] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    handlers: dict[str, Callable[[Command, re.Match | None], None]] = field(default_factory=dict)
    # What the operator types at a command's prompt, by the start of the command.
    answers: dict[str, str] = field(default_factory=dict)
    # Redis's ports on a server (6379 pages, 6380 the counters), and the drill's.
    redis_ports: dict[int, int] = field(default_factory=dict)

    def path(self, server_path: str) -> Path:
        return Path(self.rewrite(server_path))

    def replacements(self) -> dict[str, str]:
        """The server's paths and ports, and the drill's for each."""
        moved = {server_path: f"{self.root}{server_path}" for server_path in SERVER_PATHS}
        moved[APP_ADDRESS] = f"127.0.0.1:{self.app_port}"
        for server_port, port in self.redis_ports.items():
            moved[f"127.0.0.1:{server_port}"] = f"127.0.0.1:{port}"
            moved[f"-p {server_port} "] = f"-p {port} "
        return moved

    def rewrite(self, text: str) -> str:
        for server, here in self.replacements().items():
            text = text.replace(server, here)
        return text

    @property
    def srv(self) -> Path:
        return self.path("/srv/backcare")

    def shell(self, text: str, *, stdin: str = "", timeout: float = 900, cwd: Path | None = None) -> str:
        """Run ``text`` in bash as root, as the operator types it on the server."""
        started = time.monotonic()
        result = subprocess.run(
            ["/bin/bash", "-eo", "pipefail", "-c", text],
            cwd=cwd or (self.srv if self.srv.exists() else self.root),
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.log.append(f"$ {text}  [{time.monotonic() - started:.1f} s]\n{result.stdout}{result.stderr}")
        assert result.returncode == 0, f"$ {text}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def play(self, command: Command) -> str:
        stand_in = stand_in_for(command)
        self.played.append(command)
        if stand_in is None:
            assignment = re.fullmatch(r"([A-Za-z_]\w*)=.*", command.bare)
            if assignment:  # a shell variable the next commands of the block use: kept for them
                name = assignment.group(1)
                self.env[name] = self.shell(f'{self.rewrite(command.bare)}; printf %s "${name}"')
                return ""
            answer = next(
                (text for start, text in self.answers.items() if command.bare.startswith(start)), ""
            )
            return self.shell(self.rewrite(command.text), stdin=answer)
        match = re.fullmatch(stand_in.pattern, command.bare)
        self.log.append(f"# stand-in for: {command.text}\n#   {stand_in.why}")
        return self.handlers[stand_in.method](command, match) or ""

    def play_section(self, heading: str, guide: Guide) -> None:
        """Every command under ``heading``, in order."""
        for command in guide.section(heading):
            self.play(command)

    def play_block(self, guide: Guide, heading: str, containing: str) -> str:
        """Every command of the block under ``heading`` that has one starting with ``containing``."""
        return "".join(self.play(command) for command in guide.block(heading, containing))


def shell_quote_overrides(values: dict[str, str]) -> str:
    return " ".join(shlex.quote(f"{name}={value}") for name, value in values.items())


def write_tool(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)


def editor_script(values: dict[str, str], replacements: dict[str, str]) -> str:
    """The drill's ``editor``: what the operator does to the copied example, done to the file named:
    the drill's paths and ports for the server's, then ``values``."""
    lines = [
        "#!/usr/bin/env python3",
        "import re, sys",
        "path = sys.argv[1]",
        "text = open(path).read()",
    ]
    for server, here in replacements.items():
        lines.append(f"text = text.replace({server!r}, {here!r})")
    for name, value in values.items():
        quoted = f"'{value}'" if re.search(r"[\s<>]", value) else value
        lines.append(
            f"text, n = re.subn(r'^#?{name}=.*$', lambda m: {f'{name}={quoted}'!r}, text, flags=re.M)\n"
            f"if not n: text += {f'{name}={quoted}' + chr(10)!r}"
        )
    lines.append("open(path, 'w').write(text)")
    return "\n".join(lines) + "\n"
