"""The pieces the production-stack tests start servers with, on 127.0.0.1.

Plain functions and classes (conftest.py holds the fixtures built from them):
free ports, starting and stopping processes, Redis with its password, gunicorn
and nginx handles, manage.py and ORM snippets run against a server's
environment, a throwaway certificate authority, and the concurrent writers of
the backup and concurrency tests.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]

PG_ADMIN_URL = os.environ.get(
    "DEPLOY_TEST_PG_ADMIN_URL", "postgresql://backcare:backcare@127.0.0.1:5432/postgres"
)

# Variables of the test process that must not leak into the servers' settings.
DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_LIMITS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PAGE_CACHE",
    "TASKS_BACKEND",
)

# Every test Redis asks for this password, as production's do (docs/deploying.md "Redis"):
# the whole deploy suite thus proves the app authenticates.
REDIS_PASSWORD = secrets.token_hex(16)

# deploy/render.py is a script, not a package module: loaded by path.
spec = importlib.util.spec_from_file_location("deploy_render", ROOT / "deploy" / "render.py")
render = importlib.util.module_from_spec(spec)
spec.loader.exec_module(render)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_binary(name: str, package: str) -> str:
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if path is None:
        pytest.fail(
            f"{name} is not installed: the deploy tests need Debian's {package} "
            f"(apt-get install {package}; .ci/run installs it).",
            pytrace=False,
        )
    return path


def spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server in the background, its output going to ``log``."""
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30, **options) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url}: the server exited:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            httpx.get(url, timeout=2, **options)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer in {timeout} s:\n{log.read_text()[-3000:]}", pytrace=False)


def port_opens(port: int, *, process: subprocess.Popen | None = None, timeout: float = 10) -> bool:
    """Whether something listens on 127.0.0.1:``port`` within ``timeout`` s (False as soon as
    ``process``, the server meant to listen there, exits)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def orm(env: dict[str, str], code: str) -> str:
    """Run Python with Django set up under ``env`` in another process (as another app server would)."""
    return manage(env, "shell", "--no-imports", "-c", code).stdout


@dataclass
class RedisServer:
    """A redis-server of a test's own, from one of deploy/redis/'s configurations."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"redis://:{REDIS_PASSWORD}@127.0.0.1:{self.port}/0"

    def pause(self) -> None:
        """Stopped as with SIGSTOP: connections hang (the slow case), and its keys survive (the stale case)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.resume()
        stop(self.process)


def start_redis(config: str, folder: Path, *options: str) -> RedisServer:
    """``redis-server deploy/redis/<config>`` with the password, on a free port, writing only into
    ``folder``; ``options`` override the file's settings (``"--maxmemory", "2mb"``)."""
    binary = require_binary("redis-server", "redis-server")
    port = free_port()
    log = folder / "redis.log"
    process = spawn(
        [binary, str(ROOT / "deploy" / "redis" / config), "--port", str(port), "--dir", str(folder),
         "--pidfile", str(folder / "redis.pid"), "--logfile", str(log), "--requirepass", REDIS_PASSWORD,
         *options],
        folder / "redis.out",
    )  # fmt: skip
    if not port_opens(port, process=process):
        stop(process)
        output = (folder / "redis.out").read_text() + (log.read_text() if log.exists() else "")
        pytest.fail(f"redis-server did not start:\n{output}", pytrace=False)
    return RedisServer(process, port, log)


def admin_connection() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({error}). The deploy tests need it: "
            "start it with `pg_ctlcluster 15 main start` and create the backcare role "
            "(.ci/run does both), or point DEPLOY_TEST_PG_ADMIN_URL at a role with CREATEDB.",
            pytrace=False,
        )


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)


def write_nginx_config(
    folder: Path,
    upstream: str,
    static_root: Path,
    media_root: Path,
    *,
    port: int | None = None,
    listen: str = "",
    tls: str = "",
    extra: str = "",
    values: dict[str, str] | None = None,
) -> tuple[Path, int]:
    """The site in a whole config. ``listen``: after the address, e.g. "ssl http2"; ``tls``: its TLS
    lines; ``extra``: more of the http block; ``values``: other placeholders than production's."""
    port = port or free_port()
    site = render.render_file(
        ROOT / "deploy" / "nginx" / "backcare.conf",
        UPSTREAM=upstream,
        LISTEN=f"127.0.0.1:{port} {listen}".strip(),
        SERVER_NAME="127.0.0.1",
        TLS=tls,
        CACHE_DIR=str(folder / "cache"),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        **(values or {}),
    )
    (folder / "backcare.conf").write_text(site)
    main = render.render_file(
        ROOT / "deploy" / "nginx" / "standalone.conf",
        **{**render.standalone_defaults(folder), "EXTRA": extra},
    )
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf", port


def nginx_command(config: Path, *args: str) -> list[str]:
    folder = str(config.parent)
    return [
        require_binary("nginx", "nginx"),
        "-p",
        folder,
        "-c",
        str(config),
        "-e",
        f"{folder}/error.log",
        *args,
    ]


def open_to_nginx_workers(*folders: Path) -> None:
    """As root, nginx's workers run as nobody: let them into the test's temporary folders."""
    for folder in folders:
        for path in (folder, *folder.parents):
            if path == Path(tempfile.gettempdir()) or path == path.parent:
                break
            path.chmod(path.stat().st_mode | 0o755)
        for inner in folder.rglob("*"):
            inner.chmod(inner.stat().st_mode | (0o755 if inner.is_dir() else 0o644))


def openssl(folder: Path, *args: str) -> None:
    result = subprocess.run(
        [require_binary("openssl", "openssl"), *args], cwd=folder, capture_output=True, text=True
    )
    assert result.returncode == 0, f"openssl {' '.join(args)}:\n{result.stderr}"


def make_certificates(
    folder: Path, *, ca_name: str, key: str = "server.key", certificate: str = "server.pem"
) -> Path:
    """A throwaway certificate authority (``ca.pem``) in ``folder``, and a certificate it signed
    for 127.0.0.1 (``certificate``, with its ``key``): what the tests' nginx serves over TLS."""
    new_key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    openssl(folder, "req", "-x509", *new_key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", f"/CN={ca_name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl(folder, "req", "-new", *new_key, "-keyout", key, "-out", "server.csr",
            "-subj", "/CN=127.0.0.1")  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    openssl(folder, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", certificate)  # fmt: skip
    return folder


# An exercise for the writers to comment on (tests/deploy/writer.py), created with ``orm``.
CAT_AND_COW = (
    "from exercises.models import Category, Exercise\n"
    "Exercise.objects.create(title='Cat and cow', slug='cat-and-cow', summary='Arch and round.',\n"
    "    category=Category.objects.create(name='Mobility', slug='mobility'),\n"
    "    starting_position='On all fours.', repetitions='10 times', frequency='daily',\n"
    "    duration='a minute', cautions='Stop if it hurts.', status='published')\n"
)


def start_writers(env: dict[str, str], *, count: int, each: int, go: Path) -> list[subprocess.Popen]:
    """``count`` processes of tests/deploy/writer.py, each ready to post ``each`` comments on
    cat-and-cow as soon as the file ``go`` exists (so they all start at once)."""
    writers = [
        subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("writer.py")), "cat-and-cow", str(each), str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    return writers


def writers_failures(writers: list[subprocess.Popen], *, timeout: float) -> list[str]:
    """Wait for every writer; the end of the error output of each that failed."""
    failures = []
    for writer in writers:
        _, stderr = writer.communicate(timeout=timeout)
        if writer.returncode != 0:
            failures.append(stderr[-2000:])
    return failures
