"""Ask for 30 different routine PDFs at once from one address and count the PDF builds they cost.

    .venv/bin/python bench/routine_pdf_builds.py              # the cache up (local memory)
    .venv/bin/python bench/routine_pdf_builds.py --cache-down # every cache call fails, as with Redis down

Production settings (DEBUG off, the page cache off) on a throwaway SQLite
database with ``load_demo``; 30 threads, each with its own test client, wait
at a barrier and then each ask ``/routine/handout.pdf`` for a different set of
the demo exercises, all from 192.0.2.7. WeasyPrint runs for real; every call
of ``exercises.handouts.render_pdf`` is counted. The builds are bounded by
``exercises.builds.PER_ADDRESS`` (whatever the timing), and fewer still run when
they arrive together, as one process builds one PDF at a time
(``exercises.builds.AT_ONCE``). Not a test (tests/exercises/test_routines.py
asserts the bound); numbers for a person to read, in docs/performance.md.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 30


def setup_environment(folder: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="backcare.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_STATIC_ROOT=f"{folder}/static",
        DJANGO_MEDIA_ROOT=f"{folder}/media",
        DJANGO_LOG_LEVEL="CRITICAL",
        PAGE_CACHE="0",
        TASKS_BACKEND="immediate",
    )
    python = sys.executable
    for command in (
        [python, "manage.py", "migrate", "-v0"],
        [python, "manage.py", "collectstatic", "--no-input", "-v0"],
        [python, "manage.py", "load_demo", "--i-know-this-is-production"],
    ):
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def break_the_cache() -> None:
    from django.core.cache import cache

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down (bench)")

    for method in ("get", "get_many", "set", "add", "incr", "delete"):
        setattr(cache, method, refuse)


def main() -> None:
    cache_down = "--cache-down" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        setup_environment(folder)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        logging.disable(logging.ERROR)  # each refusal is logged as a 429 or 503: not news here
        from django.test import Client
        from django.urls import reverse

        from exercises import handouts
        from exercises.builds import PER_ADDRESS
        from exercises.models import Exercise

        builds: list[float] = []
        real = handouts.render_pdf

        def counted(*args: object) -> bytes:
            started = time.process_time()
            try:
                return real(*args)
            finally:
                builds.append(time.process_time() - started)

        handouts.render_pdf = counted
        if cache_down:
            break_the_cache()
        slugs = sorted(Exercise.objects.published().values_list("slug", flat=True))
        sets = [subset for size in range(1, len(slugs) + 1) for subset in combinations(slugs, size)]
        if len(sets) < REQUESTS:
            raise SystemExit(f"only {len(sets)} different routines from {len(slugs)} demo exercises")
        urls = [reverse("routine:pdf") + "?e=" + ",".join(subset) for subset in sets[:REQUESTS]]
        barrier = threading.Barrier(REQUESTS)
        statuses: list[int] = []

        def ask(url: str) -> None:
            client = Client()
            barrier.wait()
            statuses.append(client.get(url, REMOTE_ADDR="192.0.2.7").status_code)

        threads = [threading.Thread(target=ask, args=(url,)) for url in urls]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        print(
            f"{REQUESTS} different routine PDFs at once from one address (cache {'down' if cache_down else 'up'}):"
        )
        print(f"  answers: {dict(sorted(Counter(statuses).items()))}")
        print(f"  PDF builds: {len(builds)} (bound: exercises.builds.PER_ADDRESS = {PER_ADDRESS})")
        print(f"  build CPU: {sum(builds):.2f} s; wall time for all {REQUESTS}: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
