"""What systemd does for backcare-web, emulated for tests (there is no systemd in the test container).

``backcare-web.socket`` makes systemd open and hold the listening socket;
each start of ``backcare-web.service`` gets it as file descriptor 3, with
``LISTEN_FDS=1`` and ``LISTEN_PID`` set to the new process's own pid
(sd_listen_fds(3)). The test process plays systemd: it holds the socket
(``listening_socket``) and starts the unit's ``ExecStart`` through a tiny
exec shim (``start_socket_activated``) that puts the socket on fd 3, sets
the two variables to its own pid and execs the command, so gunicorn sees
exactly what systemd would give it. Stopping is ``process.terminate()``:
SIGTERM to the main process, as ``KillMode=mixed`` does.
"""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"

# Runs in the child between fork and exec, so LISTEN_PID is the pid the command will have.
SHIM = (
    "import os, sys\n"
    "fd = int(sys.argv[1])\n"
    "if fd != 3:\n"
    "    os.dup2(fd, 3)\n"
    "    os.close(fd)\n"
    "os.environ.update(LISTEN_FDS='1', LISTEN_PID=str(os.getpid()))\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


def unit_setting(unit: str, key: str) -> list[str]:
    """The values of ``key`` in ``deploy/systemd/<unit>``, in order (a key may appear more than once)."""
    prefix = key + "="
    return [
        line.removeprefix(prefix).strip()
        for line in (UNITS / unit).read_text().splitlines()
        if line.startswith(prefix)
    ]


def exec_start(unit: str, *, root: Path = ROOT) -> list[str]:
    """The unit's ExecStart as an argument list, with ``/srv/backcare`` standing for ``root``."""
    (line,) = unit_setting(unit, "ExecStart")
    return [word.replace("/srv/backcare", str(root)) for word in shlex.split(line)]


def listening_socket(unit: str = "backcare-web.socket") -> socket.socket:
    """A socket like the unit's ``ListenStream``, on a free loopback port, listening with its ``Backlog``.

    The caller holds it, as systemd does, for as long as the "socket unit" is active.
    """
    (backlog,) = unit_setting(unit, "Backlog") or ["4096"]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(int(backlog))
    return sock


def start_socket_activated(
    command: list[str], sock: socket.socket, env: dict[str, str], log: Path, *, cwd: Path = ROOT
) -> subprocess.Popen:
    """Start ``command`` as systemd starts a socket-activated service: ``sock`` as fd 3, LISTEN_FDS=1,
    LISTEN_PID its own pid. Output is appended to ``log``."""
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-c", SHIM, str(sock.fileno()), *command],
            cwd=cwd,
            env={name: value for name, value in env.items() if name not in ("LISTEN_FDS", "LISTEN_PID")},
            pass_fds=(sock.fileno(),),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
