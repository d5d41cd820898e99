"""Where the CPU of the server budgets goes: the comment POST (web and task worker) and the exercise page.

    .venv/bin/python bench/profile_budgets.py              # CPU ms of each, and the top functions
    .venv/bin/python bench/profile_budgets.py --top 40     # more functions per profile
    .venv/bin/python bench/profile_budgets.py --figures-only --json OUT.json   # bench/run's use
    .venv/bin/python bench/profile_budgets.py --save DIR   # also each raw profile, DIR/<name>.pstats
    BENCH_ROUNDS=300 .venv/bin/python bench/profile_budgets.py

In-process, production settings (DEBUG off, page cache off), a throwaway
SQLite database with ``load_demo`` and ``bench/load_data.py``'s data set, the
database task backend (as in production, so enqueueing writes its row) and
bench/fake_akismet.py on a loopback port, in a process of its own (its CPU is
Akismet's, not ours: in a thread here it would count). Each figure is CPU time
(``time.process_time``) per request, which other load on the machine
disturbs far less than wall time:

* **comment POST, web**: an accepted comment (303) through Django's test
  client and the whole middleware stack, posted from the form on the page;
* **comment POST, task worker**: the tasks that post enqueued (the Akismet
  check, the verdict, any e-mail), run by django_tasks_db's own ``Worker``
  as ``manage.py db_worker`` runs them;
* **exercise page**: ``/exercises/knee-walking/`` (30 comments) rendered,
  the shared fragments kept (a page-cache miss), and the **bare page of the
  same shape** (``bench/bare_page.py``: one plain Django template, the same
  exercise and 30 comments, no fragment, no cache) with its ratio.

Then a cProfile of each, the top functions by cumulative CPU. PostgreSQL
and Redis (bench/run's stack) cost more per query and per cache call than
SQLite and local memory; the ratio between parts holds. Not a test:
numbers for a person to read (docs/performance.md).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import profile_pages

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
PAGE = "/exercises/knee-walking/"
BARE = "/bench/bare/knee-walking/"


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def setup_environment(folder: str, akismet_port: int) -> None:
    for name in ("REDIS_URL", "REDIS_LIMITS_URL", "DJANGO_CSRF_TRUSTED_ORIGINS", "BACKCARE_SITE_URL"):
        os.environ.pop(name, None)  # bench/run's stack: this script keeps to its own SQLite and memory
    profile_pages.setup_environment(
        folder,
        TASKS_BACKEND="database",
        COMMENTS_FLOOD_SECONDS="0",
        PYTHON_AKISMET_API_KEY="bench-key",
        PYTHON_AKISMET_BLOG_URL="http://testserver",
        AKISMET_API_URL=f"http://127.0.0.1:{akismet_port}",
        BACKCARE_BENCH_FLOOR="1",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )


def cpu_profile() -> cProfile.Profile:
    """A profile of CPU time, not wall time: waiting for SQLite's disk or another process is not ours."""
    return cProfile.Profile(time.process_time)


def top(profile: cProfile.Profile, count: int, order: str = "cumulative") -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(count)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


def report(title: str, profile: cProfile.Profile, count: int) -> None:
    if "--save" in sys.argv:  # the raw profile, for pstats or snakeviz
        folder = Path(sys.argv[sys.argv.index("--save") + 1])
        folder.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(folder / f"{title.replace(' ', '-').replace(',', '')}.pstats")
    print(f"--- {title}: top {count} by cumulative CPU (s, over all rounds) ---\n{top(profile, count)}\n")
    print(f"--- {title}: top {count // 2} by own CPU ---\n{top(profile, count // 2, 'tottime')}\n")


def main() -> None:
    count = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    figures_only = "--figures-only" in sys.argv
    json_path = Path(sys.argv[sys.argv.index("--json") + 1]) if "--json" in sys.argv else None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    akismet = subprocess.Popen([sys.executable, str(BENCH / "fake_akismet.py"), str(port)])  # noqa: S603
    try:
        run(port, count=count, figures_only=figures_only, json_path=json_path)
    finally:
        akismet.terminate()
        akismet.wait(timeout=10)


def run(akismet_port: int, *, count: int, figures_only: bool, json_path: Path | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        setup_environment(folder, akismet_port)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import logging

        logging.getLogger("django.tasks").setLevel(logging.WARNING)
        from comment_form import MIN_FORM_AGE, build_comment_post
        from django.core.cache import cache
        from django.test import Client
        from django_tasks_db.management.commands.db_worker import Worker

        def drain() -> int:
            worker = Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="profile",
                excluded_queue_names=[],
            )
            worker.run()
            return worker._run_tasks

        client = Client()
        page_html = client.get(PAGE).content.decode()
        post = build_comment_post(page_html, "http://testserver" + PAGE)
        if post is None:
            raise SystemExit("no comment form on the exercise page")
        headers = {**post.headers, "Origin": "http://testserver", "Referer": "http://testserver" + PAGE}
        time.sleep(MIN_FORM_AGE + 3)  # older than COMMENTS_FORM_MIN_SECONDS: not held as "too fast"
        number = 0

        def send(profile: cProfile.Profile | None = None) -> int:
            nonlocal number
            number += 1
            body = post.body.replace("{n}", f"profile-{number}")
            if profile is not None:
                profile.enable()
            response = client.post(
                post.path, data=body, content_type="application/x-www-form-urlencoded", headers=headers
            )
            if profile is not None:
                profile.disable()
            return response.status_code

        for _ in range(5):
            send()
        drain()
        load_start = load_average()
        print(f"1-minute load average {load_start} at the start; {ROUNDS} rounds each.\n", flush=True)

        started = time.process_time()
        statuses = [send() for _ in range(ROUNDS)]
        web = (time.process_time() - started) * 1000 / ROUNDS
        started = time.process_time()
        tasks = drain()
        worker = (time.process_time() - started) * 1000 / ROUNDS
        accepted = sum(status in (302, 303) for status in statuses)
        print(
            f"comment POST, web:          {web:6.2f} ms CPU per post ({accepted} of {ROUNDS} accepted)\n"
            f"comment POST, task worker:  {worker:6.2f} ms CPU per post ({tasks} tasks run)\n"
            f"comment POST, both:         {web + worker:6.2f} ms (goal: ≤ 5 ms server CPU)",
            flush=True,
        )

        reader = Client()  # a reader who has not posted: no own-comments cookie, so a shared page

        def render(path: str, *, keep: bool = True) -> float:
            for _ in range(5):
                if (status := reader.get(path).status_code) != 200:
                    raise SystemExit(f"{path} answered {status}")
            spent = 0.0
            for _ in range(ROUNDS):
                if not keep:
                    cache.clear()  # nothing kept: the first render after a change
                started = time.process_time()
                reader.get(path)
                spent += time.process_time() - started
            return spent * 1000 / ROUNDS

        page, bare = render(PAGE), render(BARE)
        cold, cold_bare = render(PAGE, keep=False), render(BARE, keep=False)
        load_end = load_average()
        print(
            f"exercise page:              {page:6.2f} ms CPU per render (fragments kept)\n"
            f"exercise page, none kept:   {cold:6.2f} ms CPU per render (the first render after a change)\n"
            f"bare page, same shape:      {bare:6.2f} ms CPU per render ({cold_bare:.2f} ms after a cache clear)\n"
            f"ratio, kept:                {page / bare:6.2f}× (goal: ≤ 1.2×)\n"
            f"ratio, none kept:           {cold / cold_bare:6.2f}× (goal: ≤ 1.2×)\n"
            f"1-minute load average {load_end} at the end.\n",
            flush=True,
        )
        if json_path is not None:
            json_path.write_text(
                json.dumps(
                    {
                        "post_web_ms": web,
                        "post_worker_ms": worker,
                        "post_accepted": accepted,
                        "page_ms": page,
                        "page_cold_ms": cold,
                        "bare_ms": bare,
                        "bare_cold_ms": cold_bare,
                        "rounds": ROUNDS,
                        "load_start": load_start,
                        "load_end": load_end,
                    }
                )
            )
        if figures_only:
            return

        profile = cpu_profile()
        for _ in range(ROUNDS):
            send(profile)
        report("comment POST, web", profile, count)
        profile = cpu_profile()
        profile.runcall(drain)
        report("comment POST, task worker", profile, count)
        for title, path in (("exercise page", PAGE), ("bare page, same shape", BARE)):
            profile = cpu_profile()
            profile.enable()
            for _ in range(ROUNDS):
                reader.get(path)
            profile.disable()
            report(title, profile, count)


if __name__ == "__main__":
    main()
