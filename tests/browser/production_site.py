"""BackCare as production runs it without nginx, on 127.0.0.1: gunicorn, DEBUG off, WhiteNoise.

For tests that judge what a visitor's browser receives (Lighthouse, page
weights): the settings a server has (``DJANGO_DEBUG=0``, a generated secret key,
collected and hashed static files served compressed by WhiteNoise), with a
SQLite database and the local-memory cache in a temporary folder instead of
PostgreSQL and Redis, and the demo content loaded. No nginx: what gunicorn
sends is what a visitor gets when the app is served alone.

    with production_site(tmp_path) as url: ...
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]

# The test process's own settings must not reach the server.
DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_LIMITS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PAGE_CACHE",
    "TASKS_BACKEND",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_environment(folder: Path, port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS=url,
        # Plain HTTP on loopback: no redirect to HTTPS (production's TLS is nginx's).
        DJANGO_SECURE_SSL_REDIRECT="0",
        BACKCARE_SITE_URL=url,
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        TASKS_BACKEND="immediate",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
        GUNICORN_ACCESSLOG="",
        # Anything that tried to leave loopback would fail at once.
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def production_site(folder: Path) -> Iterator[str]:
    """Start the site (migrated, static collected, demo loaded) and yield its base URL."""
    port = free_port()
    env = site_environment(folder, port)
    (folder / "media").mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "load_demo", "--i-know-this-is-production")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = folder / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s:\n{log.read_text()[-3000:]}")
