"""systemd's part in the drill: the units in deploy/systemd/ started as systemd would start them.

The test machine has no systemd (PID 1 is not systemd), so the drill's ``systemctl`` and
``systemd-run`` are small clients (``tests/deploy/systemctl.py``) that ask this object,
over a Unix socket, to do what the real ones do with the unit files the operator copied:
``User=``/``Group=``, ``WorkingDirectory=``, ``EnvironmentFile=`` (read with systemd's own
rules, ``tests/project/test_env_file.py``), ``Environment=``, ``ExecStart=`` (one for a
service, each in turn for a oneshot), ``ExecStartPost=``, ``ExecReload=`` with ``$MAINPID``,
``CacheDirectory=``, a ``.socket`` unit's listening socket held across restarts and handed
to the service as systemd does (``LISTEN_FDS``), ``KillSignal=`` and ``TimeoutStopSec=``.
The sandboxing lines (``ProtectSystem=`` and friends) are not applied: they only take
permissions away, and the drill's user already lacks them.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shlex
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.project.test_env_file import systemd_environment_file

from .systemd import SHIM

# The environment systemd gives a service (systemd.exec(5), "Environment variables in spawned processes").
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def read_unit(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) for each setting in a unit file, in order (keys may repeat)."""
    settings, section, pending = [], "", ""
    for raw in path.read_text().splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        settings.append((section, key.strip(), value.strip()))
    return settings


@dataclass
class Unit:
    name: str
    settings: list[tuple[str, str, str]]

    def all(self, key: str) -> list[str]:
        return [value for _, name, value in self.settings if name == key]

    def one(self, key: str, default: str = "") -> str:
        values = self.all(key)
        return values[-1] if values else default


@dataclass
class Result:
    code: int = 0
    output: str = ""


@dataclass
class Systemd:
    """The unit folder the operator copies units into, with the drill's paths put in for the server's."""

    units: Path
    logs: Path
    rewrite: Callable[[str], str]
    extra_environment: dict[str, str] = field(default_factory=dict)
    running: dict[str, subprocess.Popen] = field(default_factory=dict)
    sockets: dict[str, socket.socket] = field(default_factory=dict)
    enabled: set[str] = field(default_factory=set)
    journal: list[str] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    # --- units -------------------------------------------------------------------------------

    def unit(self, name: str) -> Unit:
        if "." not in name:
            name += ".service"
        path = self.units / name
        if not path.exists() and "@" in name:  # an instance of a template unit: name@instance.kind
            prefix, rest = name.split("@", 1)
            instance, kind = rest.rsplit(".", 1)
            path = self.units / f"{prefix}@.{kind}"
            return Unit(name, self._parse(self.rewrite(path.read_text()).replace("%i", instance), path))
        if not path.exists():
            raise LookupError(f"Unit {name} not found.")
        return Unit(name, self._parse(self.rewrite(path.read_text()), path))

    def _parse(self, text: str, path: Path) -> list[tuple[str, str, str]]:
        copy = self.logs / f"parsed-{path.name}"
        copy.write_text(text)
        return read_unit(copy)

    def environment(self, unit: Unit) -> dict[str, str]:
        account = pwd.getpwnam(unit.one("User", "root"))
        env = {
            "PATH": SERVICE_PATH,
            "LANG": "C.UTF-8",
            "HOME": account.pw_dir,
            "USER": account.pw_name,
            "LOGNAME": account.pw_name,
            "SHELL": account.pw_shell,
            **self.extra_environment,
        }
        for file in unit.all("EnvironmentFile"):
            optional = file.startswith("-")
            path = Path(file.lstrip("-"))
            if not path.exists() and optional:
                continue
            env.update(systemd_environment_file(path.read_text()))
        for assignment in unit.all("Environment"):
            for word in shlex.split(assignment):
                name, _, value = word.partition("=")
                env[name] = value
        return env

    def _prepare(self, unit: Unit) -> tuple[dict[str, str], dict]:
        user = unit.one("User", "root")
        account = pwd.getpwnam(user)
        for folder in unit.all("CacheDirectory"):
            path = Path(self.rewrite(f"/var/cache/{folder}"))
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, account.pw_uid, account.pw_gid)
        options = {
            "cwd": unit.one("WorkingDirectory", "/"),
            "user": account.pw_uid,
            "group": unit.one("Group", "") or account.pw_gid,
            "extra_groups": [],
        }
        return self.environment(unit), options

    def _command(self, line: str, env: dict[str, str], mainpid: int = 0) -> tuple[list[str], bool]:
        ignore_failure = line.startswith("-")
        line = line.lstrip("-@:+!")
        line = line.replace("$MAINPID", str(mainpid))
        words = shlex.split(line)
        return [
            re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), word) for word in words
        ], ignore_failure

    def _log(self, name: str):
        return (self.logs / f"{name}.log").open("a")

    # --- what systemctl does -----------------------------------------------------------------

    def start(self, name: str) -> Result:
        with self.lock:
            if "." not in name:
                name += ".service"
            if name.endswith(".timer"):
                self.unit(name)  # it must exist
                return Result()
            if name.endswith(".socket"):
                return self._listen(self.unit(name))
            if name in self.running and self.running[name].poll() is None:
                return Result()
            unit = self.unit(name)
            env, options = self._prepare(unit)
            kind = unit.one("Type", "simple")
            if kind == "oneshot":
                return self._oneshot(unit, env, options)
            command, _ = self._command(unit.one("ExecStart"), env)
            socket_name = name.rsplit(".", 1)[0] + ".socket"
            pass_fds: tuple[int, ...] = ()
            if socket_name in self.sockets:
                held = self.sockets[socket_name]
                command = [sys.executable, "-c", SHIM, str(held.fileno()), *command]
                pass_fds = (held.fileno(),)
            with self._log(name) as log:
                process = subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=pass_fds,
                    start_new_session=True, **options,
                )  # fmt: skip
            self.running[name] = process
            self.journal.append(f"started {name} (pid {process.pid})")
            for line in unit.all("ExecStartPost"):
                result = self._run_line(unit, line, env, options, mainpid=process.pid)
                if result.code:
                    self.stop(name)
                    return Result(result.code, f"{name}: ExecStartPost failed:\n{result.output}")
            return Result()

    def _listen(self, unit: Unit) -> Result:
        if unit.name in self.sockets:
            return Result()
        host, _, port = unit.one("ListenStream").rpartition(":")
        listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host.strip("[]") or "0.0.0.0", int(port)))  # noqa: S104 - as the unit says
        listener.listen(int(unit.one("Backlog", "4096")))
        listener.set_inheritable(True)
        self.sockets[unit.name] = listener
        self.journal.append(f"listening {unit.name} on {host}:{port}")
        return Result()

    def _run_line(self, unit: Unit, line: str, env, options, *, mainpid: int = 0) -> Result:
        command, ignore_failure = self._command(line, env, mainpid)
        completed = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=600, check=False, **options
        )
        with self._log(unit.name) as log:
            log.write(completed.stdout + completed.stderr)
        return Result(0 if ignore_failure else completed.returncode, completed.stdout + completed.stderr)

    def _oneshot(self, unit: Unit, env, options) -> Result:
        started = time.monotonic()
        output = ""
        for line in unit.all("ExecStart"):
            result = self._run_line(unit, line, env, options)
            output += result.output
            if result.code:
                self.journal.append(f"{unit.name} failed: {line}")
                for failure in unit.all("OnFailure"):
                    self.start(failure.replace("%n", unit.name))
                return Result(result.code, f"Job for {unit.name} failed.\n{output}")
        self.journal.append(f"{unit.name} finished in {time.monotonic() - started:.1f} s")
        return Result(0, output)

    def stop(self, name: str) -> Result:
        with self.lock:
            if "." not in name:
                name += ".service"
            if name.endswith(".socket"):
                listener = self.sockets.pop(name, None)
                if listener:
                    listener.close()
                return Result()
            process = self.running.pop(name, None)
            if process is None or process.poll() is not None:
                return Result()
            unit = self.unit(name)
            kill_signal = getattr(signal, unit.one("KillSignal", "SIGTERM"))
            timeout = float(unit.one("TimeoutStopSec", "90"))
            process.send_signal(kill_signal)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # KillMode=mixed/control-group: whatever the service left behind goes too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            self.journal.append(f"stopped {name}")
            return Result()

    def restart(self, name: str) -> Result:
        with self.lock:
            self.stop(name)
            return self.start(name)

    def reload(self, name: str) -> Result:
        with self.lock:
            unit = self.unit(name)
            process = self.running.get(unit.name)
            if process is None:
                return Result(1, f"{unit.name} is not active, cannot reload.")
            lines = unit.all("ExecReload")
            if not lines:
                return Result(1, f"Failed to reload {unit.name}: Job type reload is not applicable for unit.")
            env, options = self._prepare(unit)
            for line in lines:
                result = self._run_line(
                    unit, line, env, {**options, "user": 0, "group": 0}, mainpid=process.pid
                )
                if result.code:
                    return result
            return Result()

    def systemctl(self, args: list[str]) -> Result:
        now = "--now" in args
        words = [arg for arg in args if not arg.startswith("-")]
        verb, names = words[0], words[1:]
        if verb == "daemon-reload":
            return Result()
        if verb in {"enable", "disable"}:
            result = Result()
            for name in names:
                self.unit(name)
                (self.enabled.add if verb == "enable" else self.enabled.discard)(name)
                if now:
                    step = (self.start if verb == "enable" else self.stop)(name)
                    result = step if step.code else result
            return result
        if verb in {"start", "stop", "restart", "reload", "try-restart"}:
            action = {"try-restart": self.restart}.get(verb) or getattr(self, verb)
            for name in names:
                result = action(name)
                if result.code:
                    return result
            return Result()
        if verb == "is-active":
            states = []
            for name in names:
                full = name if "." in name else name + ".service"
                alive = (full in self.running and self.running[full].poll() is None) or full in self.sockets
                states.append("active" if alive else "inactive")
            return Result(0 if all(s == "active" for s in states) else 3, "\n".join(states) + "\n")
        return Result(1, f"the drill's systemctl does not know {verb!r}")

    def systemd_run(self, args: list[str]) -> Result:
        """``systemd-run --pipe --quiet -p Key=Value … command``: a transient service, output piped back."""
        properties: list[tuple[str, str, str]] = []
        rest = list(args)
        while rest and rest[0].startswith("-"):
            option = rest.pop(0)
            if option in {"-p", "--property"}:
                key, _, value = rest.pop(0).partition("=")
                properties.append(("Service", key, value))  # the shell already moved its paths
        unit = Unit("run-drill.service", properties)
        env, options = self._prepare(unit)
        completed = subprocess.run(
            rest, env=env, capture_output=True, text=True, timeout=600, check=False, **options
        )
        return Result(completed.returncode, completed.stdout + completed.stderr)

    def stop_everything(self) -> None:
        for name in list(self.running):
            self.stop(name)
        for name in list(self.sockets):
            self.stop(name)

    # --- the socket the clients talk to ----------------------------------------------------------

    def serve(self, path: Path) -> socketserver.UnixStreamServer:
        systemd = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                request = json.loads(self.rfile.readline())
                try:
                    if request["program"] == "systemd-run":
                        result = systemd.systemd_run(request["args"])
                    else:
                        result = systemd.systemctl(request["args"])
                except Exception as error:  # reported to the client, as systemctl would
                    result = Result(1, f"{type(error).__name__}: {error}")
                self.wfile.write(json.dumps({"code": result.code, "output": result.output}).encode() + b"\n")

        server = socketserver.ThreadingUnixStreamServer(str(path), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
