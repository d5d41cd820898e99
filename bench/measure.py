"""Run wrk against each target of the stack bench/run started, and write the table.

Not run by hand: bench/run starts the servers and passes their ports and
process ids in the environment (BENCH_*). Every target is measured with the
same wrk settings; while wrk runs, the server processes' CPU time and peak
memory are read from /proc.

To measure another page, add a Target to TARGETS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent))

from comment_form import FIELD_VALUES, MIN_FORM_AGE, CommentPost, build_comment_post
from fake_akismet import SPAMMER
from processes import CLK_TCK, cpu_ticks, server_groups, vm_hwm_mb
from tables import goals, machine, table

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
ENV = os.environ
TMP = Path(ENV["BENCH_TMP"])
THREADS, CONNECTIONS, DURATION = ENV["BENCH_THREADS"], ENV["BENCH_CONNECTIONS"], ENV["BENCH_DURATION"]
WARMUP = ENV.get("BENCH_WARMUP", "2")
PAGE = "/exercises/knee-walking/"

WEB = f"http://127.0.0.1:{ENV['BENCH_WEB_PORT']}"
WEB_NOCACHE = f"http://127.0.0.1:{ENV['BENCH_WEB_NOCACHE_PORT']}"
NGINX = f"http://127.0.0.1:{ENV['BENCH_NGINX_PORT']}"
# nginx as production runs it, but for the one address's own limit: what a spam wave posts through.
NGINX_CAPPED = f"http://127.0.0.1:{ENV['BENCH_NGINX_CAPPED_PORT']}"
STATIC = f"http://127.0.0.1:{ENV['BENCH_STATIC_PORT']}"


@dataclass
class Target:
    key: str
    title: str
    url: str
    app: str  # which gunicorn serves it: "web" (page cache on) or "web_nocache"
    expect: dict[str, str] = field(default_factory=dict)  # headers a warm request must carry
    post: bool = False
    spam_wave: bool = False  # read while SPAM_PER_SECOND spam comments are posted to the same page


SPAM_PER_SECOND = 20
# After the comment POST target, how long the (niced) worker may take to check what was posted.
DRAIN_SECONDS = float(ENV.get("BENCH_DRAIN_SECONDS", "180"))

TARGETS = [
    Target(
        "floor",
        "framework floor: a fixed answer through the middleware (PAGE_CACHE=0), gunicorn",
        WEB_NOCACHE + "/bench/floor/",
        "web_nocache",
    ),
    Target("home", "home page, rendered (PAGE_CACHE=0), gunicorn", WEB_NOCACHE + "/", "web_nocache"),
    Target("uncached", "exercise page, rendered (PAGE_CACHE=0), gunicorn", WEB_NOCACHE + PAGE, "web_nocache"),
    Target(
        "bare",
        "a bare Django page of the same shape (bench/bare/, no kept part), gunicorn",
        WEB_NOCACHE + "/bench/bare/knee-walking/",
        "web_nocache",
    ),
    Target(
        "app_cache",
        "exercise page from the app's cache (Redis), gunicorn",
        WEB + PAGE,
        "web",
        {"X-Page-Cache": "hit"},
    ),
    Target(
        "nginx_cache",
        "exercise page through nginx's micro-cache",
        NGINX + PAGE,
        "web",
        {"X-Cache-Status": "HIT"},
    ),
    Target(
        "spam_wave",
        f"exercise page from the app's cache during a spam wave ({SPAM_PER_SECOND} posts/s)",
        WEB + PAGE,
        "web",
        {"X-Page-Cache": "hit"},
        spam_wave=True,
    ),
    Target("nginx_static", "exercise page as a static file, nginx", STATIC + "/knee-walking.html", "web"),
    Target(
        "classes",
        "/classes/ with 50 courses, rendered (PAGE_CACHE=0)",
        WEB_NOCACHE + "/classes/",
        "web_nocache",
    ),
    Target(
        "classes_cached",
        "/classes/ through nginx's micro-cache",
        NGINX + "/classes/",
        "web",
        {"X-Cache-Status": "HIT"},
    ),
    Target("comment_post", "comment POST through nginx (fake Akismet)", NGINX + PAGE, "web", post=True),
]

# --- one run ------------------------------------------------------------------


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our loopback URLs
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our loopback URLs
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wrk(
    url: str, duration: str, script: str, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(BENCH_DIR / script),
        url,
    ]
    env = {**ENV, "BENCH_LUA_DIR": str(BENCH_DIR), **(extra_env or {})}
    process = subprocess.Popen(  # noqa: S603 - our own wrk command line
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    return process, " ".join(command)


class SpamWave(threading.Thread):
    """Posts SPAM_PER_SECOND comments the fake Akismet calls spam, to the page being read, until stopped.

    On a schedule, each post in its own thread: a slow answer must not slow the wave down.
    Through ``NGINX_CAPPED``: a wave comes from many addresses, each within its own
    allowance, and meets the cap on every address together (deploy/nginx/backcare.conf).
    """

    def __init__(self, post: CommentPost) -> None:
        super().__init__(daemon=True)
        self.post = post
        self.stopped = threading.Event()
        self.answers: dict[int, int] = {}
        self.samples: dict[str, int] = {}
        self.lock = threading.Lock()
        self.in_flight = threading.BoundedSemaphore(64)

    def run(self) -> None:
        body = self.post.body.replace(quote_plus(FIELD_VALUES["name"]), SPAMMER)
        url = NGINX_CAPPED + self.post.path
        number, next_at = 0, time.monotonic()
        while not self.stopped.is_set():
            number += 1
            data = body.replace("{n}", f"spam-{os.getpid()}-{number}").encode()
            request = urllib.request.Request(url, data=data, headers=self.post.headers, method="POST")  # noqa: S310
            if self.in_flight.acquire(timeout=5):
                threading.Thread(target=self.send, args=(request,), daemon=True).start()
            if number % SPAM_PER_SECOND == 0:  # once a second: is the page still a cache hit?
                threading.Thread(target=self.sample, daemon=True).start()
            next_at += 1 / SPAM_PER_SECOND
            self.stopped.wait(max(0.0, next_at - time.monotonic()))

    def send(self, request: urllib.request.Request) -> None:
        try:
            status = fetch_request(request)
        finally:
            self.in_flight.release()
        with self.lock:
            self.answers[status] = self.answers.get(status, 0) + 1

    def sample(self) -> None:
        _, headers, _ = fetch(WEB + PAGE)
        with self.lock:
            seen = headers.get("X-Page-Cache", "none")
            self.samples[seen] = self.samples.get(seen, 0) + 1

    def stop(self) -> str:
        self.stopped.set()
        self.join(timeout=15)
        with self.lock:
            answers = sorted(self.answers.items())
            samples = sorted(self.samples.items())
        return (
            ", ".join(f"{count} answered {status}" for status, count in answers)
            + "; the page sampled once a second during the wave: "
            + ", ".join(f"{count} × X-Page-Cache {seen}" for seen, count in samples)
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# Built once: each opener makes an HTTPS handler, whose TLS context reads and parses the CA
# bundle (~30 ms of CPU). Built for every post, the wave's own harness took two thirds of a
# core from the servers it measures.
NO_REDIRECT = urllib.request.build_opener(NoRedirect)


def fetch_request(request: urllib.request.Request) -> int:
    """The status of one request, redirects not followed (a 303 is an accepted post)."""
    try:
        with NO_REDIRECT.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def start_spam_wave(notes: list[str]) -> SpamWave | None:
    status, _, body = fetch(NGINX + PAGE)
    post = build_comment_post(body.decode(), NGINX + PAGE) if status == 200 else None
    if post is None:
        notes.append("spam_wave: no comment form on the page, so no wave.")
        return None
    time.sleep(MIN_FORM_AGE)
    wave = SpamWave(post)
    wave.start()
    return wave


def measure(target: Target, post_env: dict[str, str] | None, notes: list[str] | None = None) -> dict:
    script = "post.lua" if target.post else "report.lua"
    wave = start_spam_wave(notes if notes is not None else []) if target.spam_wave else None
    try:
        return _measure(target, post_env, script)
    finally:
        if wave is not None:
            (notes if notes is not None else []).append(f"spam_wave: the spam posts: {wave.stop()}.")


def tasks_waiting() -> int:
    """Tasks the worker has yet to run now (deferred re-checks not counted)."""
    import psycopg

    with psycopg.connect(ENV["DATABASE_URL"], connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING') "
            # django-tasks-db stores "no run_after" as the largest date, not NULL
            "AND (run_after <= now() OR run_after > now() + interval '1000 years')"
        ).fetchone()
    return int(row[0]) if row else 0


def drain(limit: float = DRAIN_SECONDS) -> tuple[float, int]:
    """Wait until the task worker has caught up (at most ``limit`` s): (seconds waited, tasks left)."""
    started = time.monotonic()
    while (waiting := tasks_waiting()) and time.monotonic() - started < limit:
        time.sleep(0.5)
    return time.monotonic() - started, waiting


def _measure(target: Target, post_env: dict[str, str] | None, script: str) -> dict:
    warm, _ = wrk(target.url, WARMUP, script, post_env)
    warm.communicate(timeout=int(WARMUP) + 30)
    if target.post:
        drain()  # the warm-up's checks are not this run's

    load = Path("/proc/loadavg").read_text().split()[0]
    groups = server_groups()
    before = {name: cpu_ticks(pids) for name, pids in groups.items()}
    started = time.monotonic()
    process, command = wrk(target.url, DURATION, script, post_env)
    peak_rss: dict[int, float] = {}
    while process.poll() is None:
        for pid in server_groups()[target.app][1:]:  # the workers, not the master
            peak_rss[pid] = max(peak_rss.get(pid, 0.0), vm_hwm_mb(pid))
        time.sleep(0.5)
    output = process.stdout.read()
    elapsed = time.monotonic() - started
    after_groups = server_groups()
    window_ticks = {name: cpu_ticks(pids) for name, pids in after_groups.items()}
    drained_s, left = drain() if target.post else (0.0, 0)
    line = next((row for row in output.splitlines() if row.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result for {target.key}:\n{output}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    cpu_ms = {}
    if target.post:  # the worker's checks of these posts, run after wrk stopped, are theirs too
        after_groups = server_groups()
    for name, pids in after_groups.items():
        after = cpu_ticks(pids) if target.post else window_ticks[name]
        start = before.get(name, {})
        ticks = sum(value - start.get(pid, 0) for pid, value in after.items())
        if name != "postgres":
            # A gunicorn worker recycled meanwhile (max_requests) leaves its group,
            # and its whole life's CPU reappears in the master's cutime: subtract
            # what it had used before the run, or that is counted again. (A
            # PostgreSQL backend is reaped outside its group: nothing reappears.)
            ticks -= sum(value for pid, value in start.items() if pid not in after)
        cpu_ms[name] = ticks * 1000 / CLK_TCK
    requests = max(data["requests"], 1)
    return {
        "target": target.title,
        "url": target.url,
        "command": command,
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "requests": data["requests"],
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["errors"],
        "accepted": data["accepted"],
        "rejected": data["rejected"],
        "app_cpu_ms_per_request": cpu_ms[target.app] / requests,
        "server_cpu_ms_per_request": sum(cpu_ms.values()) / requests,
        "cpu_ms": cpu_ms,
        "worker_rss_mb": max(peak_rss.values(), default=0.0),
        "elapsed_s": elapsed,
        "load": float(load),
        "drain_s": drained_s,
        "tasks_left": left,
        "wrk_output": output,
    }


def prepare_post(notes: list[str]) -> dict[str, str] | None:
    status, _, body = fetch(NGINX + PAGE)
    post = build_comment_post(body.decode(), NGINX + PAGE) if status == 200 else None
    if post is None:
        notes.append("comment POST: skipped, the exercise page has no comment form yet (comments branch).")
        return None
    post_file = TMP / "comment-post.txt"
    post_file.write_text(post.as_wrk_file())
    time.sleep(MIN_FORM_AGE)
    return {"BENCH_POST_FILE": str(post_file)}


# The WordPress peer: a default WordPress install serving a post with 30 comments, measured
# with the same wrk settings on this kind of machine (issue 5): 19.5 req/s. BENCH_WORDPRESS_URL
# measures a running one instead.
WORDPRESS_RPS = 19.5


def wordpress(notes: list[str]) -> dict:
    url = ENV.get("BENCH_WORDPRESS_URL", "")
    if not url:
        rps = float(ENV.get("BENCH_WORDPRESS_RPS", WORDPRESS_RPS))
        notes.append(
            f"wordpress: not run here; its recorded {rps} req/s (BENCH_WORDPRESS_URL to measure one)."
        )
        return {"rps": rps, "measured": False, "load": None}
    load = float(Path("/proc/loadavg").read_text().split()[0])
    process, _ = wrk(url, DURATION, "report.lua")
    output, _ = process.communicate(timeout=int(DURATION) + 60)
    line = next(row for row in output.splitlines() if row.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return {"rps": data["requests"] / (data["duration_us"] / 1e6), "measured": True, "load": load, "url": url}


def run_in_process(notes: list[str]) -> dict | None:
    """bench/profile_budgets.py's figures: CPU per comment POST and per render, in one process."""
    out = TMP / "in-process.json"
    env = {key: value for key, value in ENV.items() if not key.startswith(("DATABASE_URL", "REDIS"))}
    env["BENCH_ROUNDS"] = ENV.get("BENCH_IN_PROCESS_ROUNDS", "200")
    print("bench: in-process figures (bench/profile_budgets.py) …", flush=True)
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH_DIR / "profile_budgets.py"), "--figures-only", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0 or not out.exists():
        notes.append(f"in_process: bench/profile_budgets.py failed: {done.stderr.strip()[-300:]}")
        return None
    figures = json.loads(out.read_text())
    notes.append(
        f"in_process: bench/profile_budgets.py, {figures['rounds']} rounds, SQLite and local memory, "
        f"1-minute load average {figures['load_start']} to {figures['load_end']}: comment POST "
        f"{figures['post_web_ms']:.2f} ms web + {figures['post_worker_ms']:.2f} ms task worker; exercise page "
        f"{figures['page_ms']:.2f} ms ({figures['page_cold_ms']:.2f} ms with nothing kept), bare page "
        f"{figures['bare_ms']:.2f} ms ({figures['bare_cold_ms']:.2f} ms)."
    )
    return figures


def check_target(target: Target, notes: list[str]) -> bool:
    fetch(target.url)
    status, headers, _ = fetch(target.url)
    if status != 200:
        notes.append(f"{target.key}: skipped, {target.url} answered {status}.")
        return False
    for name, value in target.expect.items():
        if headers.get(name) != value:
            notes.append(f"{target.key}: a warm request had {name}: {headers.get(name)!r}, not {value!r}.")
    return True


def main() -> None:
    notes: list[str] = [
        f"data set: {name}: {value}"
        for name, value in json.loads((TMP / "data-notes.json").read_text()).items()
    ]
    only = set(filter(None, ENV.get("BENCH_TARGETS", "").split(",")))
    results = {}
    for target in TARGETS:
        if only and target.key not in only:
            continue
        post_env = None
        if target.post:
            post_env = prepare_post(notes)
            if post_env is None:
                continue
        elif not check_target(target, notes):
            continue
        load = Path("/proc/loadavg").read_text().split()[0]
        notes.append(
            f"{target.key}: 1-minute load average {load} before the run (other work on the machine)."
        )
        print(f"bench: {target.title} …", flush=True)
        results[target.key] = measure(target, post_env, notes)
        r = results[target.key]
        print(
            f"bench:   {r['rps']:,.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
            f"server CPU {r['server_cpu_ms_per_request']:.2f} ms/req",
            flush=True,
        )
    notes.append(f"fake Akismet answered {fetch(ENV['BENCH_AKISMET_URL'] + '/stats')[2].decode()} calls.")
    if "comment_post" in results:
        r = results["comment_post"]
        notes.append(
            f"comment_post: server CPU includes the worker checking the posts after wrk stopped: "
            f"{r['drain_s']:.0f} s to catch up, {r['tasks_left']} tasks still waiting."
        )
    if not only or "wordpress" in only:
        results["wordpress"] = wordpress(notes)
    if not only or "in_process" in only:
        in_process = run_in_process(notes)
        if in_process:
            results["in_process"] = in_process

    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    summary = "\n".join(
        [
            f"Run {stamp} on {machine()}; wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s per target "
            f"(after a {WARMUP} s warm-up); gunicorn {ENV['GUNICORN_WORKERS']} workers × "
            f"{ENV['GUNICORN_THREADS']} threads (gthread); nginx {ENV['BENCH_NGINX_WORKERS']} workers.",
            "",
            table(results),
            "",
            "Goals:",
            "",
            goals(results),
            "",
            *[f"- {note}" for note in notes],
            "",
        ]
    )
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / f"{stamp}.json").write_text(json.dumps({"results": results, "notes": notes}, indent=2))
    (results_dir / "summary.md").write_text(summary)
    performance = ROOT / "docs" / "performance.md"
    if performance.exists() and ENV.get("BENCH_WRITE_DOCS", "1") == "1":
        text = performance.read_text()
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            performance.write_text(f"{head}{begin}\n{summary}{end}{rest.split(end, 1)[1]}")
    print("\n" + summary)


if __name__ == "__main__":
    main()
