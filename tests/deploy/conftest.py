"""The production stack for tests: Redis, PostgreSQL, gunicorn and nginx on 127.0.0.1.

These tests start real servers with production settings (``DJANGO_DEBUG=0``)
on free loopback ports. Redis and nginx are started here from Debian's
binaries; PostgreSQL is the machine's server (``DEPLOY_TEST_PG_ADMIN_URL``, by
default the ``backcare`` role on 127.0.0.1:5432), in which each test session
creates a throwaway database. A missing binary or an unreachable PostgreSQL
fails the tests with what to do: they are skipped only when asked for, with
``-m "not deploy"``.
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
from collections.abc import Callable, Iterator
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


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """The page Redis (deploy/redis/backcare.conf), with its password in the URL."""
    server = start_redis("backcare.conf", tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def redis_limits_url(tmp_path_factory) -> Iterator[str]:
    """The counters' Redis (deploy/redis/limits.conf, noeviction), with its password in the URL."""
    server = start_redis("limits.conf", tmp_path_factory.mktemp("redis-limits"))
    yield server.url
    server.stop()


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


@pytest.fixture(scope="session")
def make_postgres_database() -> Iterator[Callable[[], str]]:
    """``make_postgres_database()`` creates an empty database and returns its URL; all are dropped at the end."""
    names: list[str] = []

    def make() -> str:
        name = f"deploy_test_{secrets.token_hex(4)}"
        with admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    yield make
    if names:
        with admin_connection() as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def nginx_readable_folder() -> Iterator[Callable[[str], Path]]:
    """``nginx_readable_folder(name)``: a new folder that nginx's workers can enter.

    As root, nginx's workers run as nobody. pytest's own temporary folders live
    in /tmp/pytest-of-<user>, which pytest makes private (0700) again whenever
    any pytest session starts, another engineer's included: so static files,
    media and nginx's cache live under a folder of our own instead.
    """
    base = Path(tempfile.mkdtemp(prefix="backcare-deploy-"))
    base.chmod(0o755)

    def make(name: str) -> Path:
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
        folder.chmod(0o755)
        return folder

    yield make
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def production_env(nginx_readable_folder, redis_url, redis_limits_url) -> dict[str, str]:
    """The environment of a production server (everything but DATABASE_URL), static files collected."""
    folder = nginx_readable_folder("production")
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        REDIS_URL=redis_url,
        REDIS_LIMITS_URL=redis_limits_url,
        TASKS_BACKEND="database",
        # Nothing these servers do may leave loopback: any outside HTTP fails at once.
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        NO_PROXY="127.0.0.1,localhost",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
    )
    manage({**env, "DATABASE_URL": f"sqlite:///{folder / 'unused.sqlite3'}"}, "collectstatic", "--no-input")
    return env


@pytest.fixture(scope="session")
def postgres_env(production_env, make_postgres_database) -> dict[str, str]:
    """Production settings on a fresh, migrated PostgreSQL database with one published exercise."""
    env = {**production_env, "DATABASE_URL": make_postgres_database()}
    manage(env, "migrate", "--no-input", "-v0")
    orm(
        env,
        "from exercises.models import Category, Exercise\n"
        "category = Category.objects.create(name='Gentle start', slug='gentle-start')\n"
        "Exercise.objects.create(title='Knee walking', slug='knee-walking', category=category,\n"
        "    summary='Walk on your knees.', starting_position='Kneel on a soft mat.',\n"
        "    repetitions='about 20 steps', frequency='morning and night', duration='a few minutes',\n"
        "    cautions='Stop if it hurts.', status='published')\n",
    )
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def start_gunicorn(tmp_path_factory) -> Iterator[Callable[..., Server]]:
    """``start_gunicorn(env)`` runs deploy/gunicorn.conf.py on a free port; stopped at the end."""
    started: list[Server] = []

    def start(env: dict[str, str]) -> Server:
        port = free_port()
        log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
        process = spawn(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
            log,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        started.append(server)
        wait_for(server.url + "/robots.txt", process, log)
        return server

    yield start
    for server in started:
        stop(server.process)


@pytest.fixture(scope="session")
def server_a(start_gunicorn, postgres_env) -> Server:
    return start_gunicorn(postgres_env)


@pytest.fixture(scope="session")
def server_b(start_gunicorn, postgres_env) -> Server:
    return start_gunicorn(postgres_env)


# --- nginx in a folder of its own -------------------------------------------------


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
) -> tuple[Path, int]:
    """The site in a whole config. ``listen``: after the address, e.g. "ssl http2"; ``tls``: its TLS
    lines; ``extra``: more of the http block."""
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


@pytest.fixture(scope="session")
def start_nginx(nginx_readable_folder) -> Iterator[Callable[..., Server]]:
    """``start_nginx(upstream, env, listen=..., tls=..., extra=...)``: the deploy/ site in front of
    ``upstream``, serving ``env``'s static and media folders, on a free port; stopped at the end."""
    started: list[Server] = []

    def start(
        upstream: Server,
        env: dict[str, str],
        *,
        port: int | None = None,
        listen: str = "",
        tls: str = "",
        extra: str = "",
    ) -> Server:
        folder = nginx_readable_folder("nginx")
        static_root, media_root = Path(env["DJANGO_STATIC_ROOT"]), Path(env["DJANGO_MEDIA_ROOT"])
        media_root.mkdir(parents=True, exist_ok=True)
        open_to_nginx_workers(folder, static_root, media_root)
        config, port = write_nginx_config(
            folder,
            upstream.url.removeprefix("http://"),
            static_root,
            media_root,
            port=port,
            listen=listen,
            tls=tls,
            extra=extra,
        )
        process = spawn([*nginx_command(config), "-g", "daemon off;"], folder / "nginx.log")
        scheme = "https" if "ssl" in listen.split() else "http"
        server = Server(f"{scheme}://127.0.0.1:{port}", process, folder / "error.log")
        started.append(server)
        # Only the test's own CA signs an HTTPS test site's certificate: not checked while waiting.
        wait_for(server.url + "/robots.txt", process, folder / "nginx.log", verify=False)
        return server

    yield start
    for server in started:
        stop(server.process)


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
