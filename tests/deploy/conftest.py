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

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fake_akismet import FakeAkismet
from tests.fake_smtp import FakeSmtp

from .faults import PrivatePostgres, Stack, Worker
from .services import (
    DROPPED,
    PG_ADMIN_URL,
    RedisServer,
    Server,
    admin_connection,
    free_port,
    manage,
    nginx_command,
    open_to_nginx_workers,
    orm,
    spawn,
    start_redis,
    stop,
    wait_for,
    write_nginx_config,
)


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


@pytest.fixture(scope="session")
def start_nginx(nginx_readable_folder) -> Iterator[Callable[..., Server]]:
    """``start_nginx(upstream, env, listen=..., tls=..., extra=..., values=...)``: the deploy/ site in front of
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
        values: dict[str, str] | None = None,
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
            values=values,
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


# --- the fault suite's own stack (test_faults.py): each part of it gets stopped ---


@pytest.fixture(scope="module")
def fake_akismet() -> Iterator[FakeAkismet]:
    server = FakeAkismet().start()
    server.ham()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fake_smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    cluster.start()
    yield cluster
    cluster.cleanup()


@pytest.fixture(scope="module")
def fault_redis(tmp_path_factory) -> Iterator[RedisServer]:
    """The page Redis of the suite's own: it gets stopped."""
    server = start_redis("backcare.conf", tmp_path_factory.mktemp("fault-redis"), "--maxmemory", "64mb")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fault_limits_redis(tmp_path_factory) -> Iterator[RedisServer]:
    """The counters' Redis of the suite's own: it gets stopped too."""
    server = start_redis("limits.conf", tmp_path_factory.mktemp("fault-redis-limits"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(
    production_env,
    private_postgres,
    fault_redis,
    fault_limits_redis,
    fake_akismet,
    fake_smtp,
    start_gunicorn,
    tmp_path_factory,
):
    env = {
        **production_env,
        "DATABASE_URL": private_postgres.create_database("faults"),
        "REDIS_URL": fault_redis.url,
        "REDIS_LIMITS_URL": fault_limits_redis.url,
        "DATABASE_POOL_MAX": "4",
        "GUNICORN_THREADS": "4",
        "PYTHON_AKISMET_API_KEY": "fault-suite-key",
        "PYTHON_AKISMET_BLOG_URL": "http://127.0.0.1",
        "AKISMET_API_URL": f"http://127.0.0.1:{fake_akismet.port}",
        "AKISMET_IS_TEST": "1",
        "DJANGO_LOG_LEVEL": "ERROR",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(fake_smtp.port),
        "EMAIL_USE_TLS": "0",
    }
    manage(env, "migrate", "--no-input", "-v0")
    orm(
        env,
        "from exercises.models import Category, Exercise\n"
        "Exercise.objects.create(title='Knee walking', slug='knee-walking', summary='Walk on your knees.',\n"
        "    category=Category.objects.create(name='Gentle start', slug='gentle-start'),\n"
        "    starting_position='Kneel on a soft mat.', repetitions='about 20 steps',\n"
        "    frequency='morning and night', duration='a few minutes', cautions='Stop if it hurts.',\n"
        "    status='published')\n",
    )
    web = start_gunicorn(env)
    worker = Worker(env, tmp_path_factory.mktemp("worker") / "worker.log")
    worker.start()
    yield Stack(env, web, worker, private_postgres, fault_redis, fault_limits_redis, fake_akismet, fake_smtp)
    worker.stop()
