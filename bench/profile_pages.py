"""Time (and optionally profile) the rendering of the benchmark's pages, in-process.

    .venv/bin/python bench/profile_pages.py            # ms per render of each page
    .venv/bin/python bench/profile_pages.py --profile /exercises/knee-walking/   # plus pyinstrument

Production settings (DEBUG off, the page cache off) on a throwaway SQLite
database with ``load_demo`` and ``bench/load_data.py``'s data set. CPU time
per request through Django's test client: the whole middleware stack and the
view, without gunicorn or the network: once with the shared fragments kept
(a page-cache miss, the usual case), once with the cache emptied before each
render (the first render after a change). pyinstrument is a development
dependency (requirements-dev.in). Not a test: numbers for a person to read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/exercises/knee-walking/", "/classes/", "/exercises/", "/privacy/"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def setup_environment(folder: str, **settings: str) -> None:
    """Production settings on a throwaway SQLite database in ``folder``, with the demo and the
    data set loaded; ``settings`` adds to (or overrides) the environment first."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="backcare.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="profile-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{folder}/profile.sqlite3",
        DJANGO_STATIC_ROOT=f"{folder}/static",
        DJANGO_MEDIA_ROOT=f"{folder}/media",
        DJANGO_LOG_LEVEL="ERROR",
        PAGE_CACHE="0",
        TASKS_BACKEND="immediate",
        BENCH_TMP=folder,
    )
    os.environ.update(settings)
    python = sys.executable
    for command in (
        [python, "manage.py", "migrate", "-v0"],
        [python, "manage.py", "collectstatic", "--no-input", "-v0"],
        [python, "manage.py", "load_demo", "--i-know-this-is-production"],
        [python, "bench/load_data.py", f"{folder}/data-notes.json"],
    ):
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def main() -> None:
    profile = "--profile" in sys.argv
    pages = [arg for arg in sys.argv[1:] if arg.startswith("/")] or PAGES
    with tempfile.TemporaryDirectory() as folder:
        setup_environment(folder)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache
        from django.test import Client

        client = Client()
        for page in pages:
            for _ in range(5):
                if (status := client.get(page).status_code) != 200:
                    raise SystemExit(f"{page} answered {status}")
            started = time.process_time()
            for _ in range(ROUNDS):
                client.get(page)
            per_request = (time.process_time() - started) * 1000 / ROUNDS
            started = time.process_time()
            for _ in range(ROUNDS):
                cache.clear()  # no kept fragment either: the first render after a change
                client.get(page)
            cold = (time.process_time() - started) * 1000 / ROUNDS
            print(
                f"{page:32} {per_request:7.2f} ms CPU per render, {cold:7.2f} ms with nothing kept"
                f" ({ROUNDS} renders each)",
                flush=True,
            )
            if profile:
                from pyinstrument import Profiler

                with Profiler(interval=0.0002) as profiler:
                    for _ in range(ROUNDS):
                        client.get(page)
                print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
