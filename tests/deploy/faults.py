"""Tools for the fault suite (test_faults.py): a PostgreSQL of its own, posting at a steady rate,
and the figures each run writes into the test output and docs/reliability.md.

PostgreSQL is restarted in one scenario, so the suite runs its own cluster
(``initdb`` into a temporary folder, on a free port) rather than the
machine's, which other tests and people share.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
import pytest

from tests.fake_akismet import FakeAkismet
from tests.fake_smtp import FakeSmtp

from .services import ROOT, RedisServer, Server, free_port, orm, stop

sys.path.insert(0, str(ROOT / "bench"))
from comment_form import build_comment_post

RELIABILITY_DOC = ROOT / "docs" / "reliability.md"
# Shown at the end of the test output by tests/conftest.py's pytest_terminal_summary.
FIGURES: list[tuple[str, list[str]]] = []


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail(
            f"{name} is not installed: the fault suite runs its own PostgreSQL "
            "(apt-get install postgresql; bin/system-deps installs it).",
            pytrace=False,
        )
    return found[-1]


class PrivatePostgres:
    """A PostgreSQL cluster of the suite's own, which it may stop and restart at will."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="backcare-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.log = self.folder / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:  # PostgreSQL refuses to run as root: use Debian's postgres user
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.folder, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            pytest.fail(
                f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{log}", pytrace=False
            )
        return result

    def start(self) -> None:
        if not self.data.exists():
            self._run(
                _postgres_bin("initdb"), "-D", str(self.data), "-U", "backcare", "--auth=trust", "-E", "UTF8"
            )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._run(
            _postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def restart(self) -> float:
        """``pg_ctl restart -m fast``: every connection is cut; returns how long it took."""
        started = time.monotonic()
        self._run(
            _postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"
        )
        return time.monotonic() - started

    def stop(self) -> None:
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql://backcare@127.0.0.1:{self.port}/{database}"

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Outcome:
    n: int
    status: int  # 0: no answer at all
    marker: str
    kept_text: bool  # the answer holds the text (a retry page)
    at: float


class CommentPoster:
    """Posts comments to one page as distinct readers (own address, own e-mail), like the bench's form reader."""

    def __init__(self, base_url: str, page: str, tag: str) -> None:
        self.base_url, self.tag = base_url, tag
        html = httpx.get(base_url + page, timeout=10).text
        post = build_comment_post(html, base_url + page)
        assert post is not None, f"no comment form on {page}"
        self.post_template = post
        self.issued = time.monotonic()
        # Each poster's readers live in a /16 of their own: flood control (rightly) refuses a
        # second comment from one address within 15 s, across scenarios too.
        self.network = 16 + secrets.randbelow(224)

    def marker(self, n: int) -> str:
        return f"{self.tag}-{n}"

    def body(self, n: int) -> str:
        return self.post_template.body.replace("{n}", self.marker(n)).replace(
            quote("bench@example.org", safe=""), quote(f"reader-{self.tag}-{n}@example.org", safe="")
        )

    def wait_until_the_form_is_old_enough(self, seconds: float = 3.5) -> None:
        """The form refuses posts sent less than COMMENTS_FORM_MIN_SECONDS (3) after it was read."""
        time.sleep(max(0.0, self.issued + seconds - time.monotonic()))

    def post(self, n: int, *, timeout: float = 30) -> Outcome:
        headers = {
            **self.post_template.headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"10.{self.network}.{(n >> 8) & 255}.{n & 255}",
        }
        try:
            response = httpx.post(
                self.base_url + self.post_template.path,
                content=self.body(n),
                headers=headers,
                timeout=timeout,
            )
        except httpx.TransportError:
            return Outcome(n, 0, self.marker(n), False, time.monotonic())
        return Outcome(
            n, response.status_code, self.marker(n), self.marker(n) in response.text, time.monotonic()
        )

    def post_at_rate(
        self, count: int, per_second: float, *, during: Callable[[float], None] | None = None
    ) -> list[Outcome]:
        """``count`` posts, one every 1/``per_second`` s, each on its own thread; ``during(elapsed)``
        is called between them (to stop Redis, restart PostgreSQL…)."""
        started = time.monotonic()
        futures: list[Future[Outcome]] = []
        with ThreadPoolExecutor(max_workers=64) as pool:
            for n in range(count):
                time.sleep(max(0.0, started + n / per_second - time.monotonic()))
                futures.append(pool.submit(self.post, n))
                if during:
                    during(time.monotonic() - started)
        return [future.result() for future in futures]


@dataclass
class Reader:
    """Reads pages in a loop on a thread until stopped; remembers every answer."""

    base_url: str
    pages: list[str]
    answers: list[tuple[float, str, int, str]] = field(default_factory=list)  # (sent at, page, status, body)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=15) as client:
            while not self._stop.is_set():
                for page in self.pages:
                    sent = time.monotonic()
                    try:
                        response = client.get(self.base_url + page)
                        self.answers.append((sent, page, response.status_code, response.text))
                    except httpx.TransportError:
                        self.answers.append((sent, page, 0, ""))

    def start(self) -> Reader:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


def stored_markers(orm: Callable[[str], str], tag: str) -> set[str]:
    """The markers of every comment of this run that the database holds."""
    output = orm(
        "from comments.models import Comment\n"
        f"for text in Comment.objects.filter(text__contains={tag + '-'!r}).values_list('text', flat=True):\n"
        "    print(text)\n"
    )
    return set(re.findall(rf"{re.escape(tag)}-\d+", output))


def record_figures(scenario: str, lines: list[str]) -> None:
    """Print the figures into the test output and write them into docs/reliability.md's block for this scenario."""
    text = "\n".join(f"- {line}" for line in lines)
    FIGURES.append((scenario, lines))
    print(f"\n[fault suite] {scenario}:\n{text}", flush=True)
    start, end = f"<!-- figures:{scenario} -->", f"<!-- /figures:{scenario} -->"
    doc = RELIABILITY_DOC.read_text()
    if start in doc and end in doc:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        block = f"{start}\nLast run {stamp}:\n\n{text}\n{end}"
        RELIABILITY_DOC.write_text(
            re.sub(rf"{re.escape(start)}.*?{re.escape(end)}", lambda _m: block, doc, flags=re.S)
        )


class Visitor:
    """One person's browser against a production server on plain HTTP: keeps every cookie (the Secure
    ones too), sends the CSRF token and the Origin, comes from one address, remembers every status."""

    def __init__(self, base_url: str, address: str) -> None:
        self.base_url, self.address = base_url, address
        self.cookies: dict[str, str] = {}
        self.statuses: list[tuple[str, int]] = []

    def _headers(self) -> dict[str, str]:
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "Origin": self.base_url,
            "X-Forwarded-For": self.address,
        }

    def _keep(self, path: str, response: httpx.Response) -> httpx.Response:
        for raw in response.headers.get_list("set-cookie"):
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        self.statuses.append((path, response.status_code))
        return response

    def get(self, path: str) -> httpx.Response:
        return self._keep(path, httpx.get(self.base_url + path, headers=self._headers(), timeout=30))

    def submit(self, path: str, fields: dict[str, str]) -> httpx.Response:
        """Open the form's page, then post it as the browser would."""
        form = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        data = {**fields, "csrfmiddlewaretoken": token.group(1) if token else ""}
        response = httpx.post(self.base_url + path, data=data, headers=self._headers(), timeout=30)
        return self._keep(path, response)

    def is_signed_in(self) -> bool:
        """allauth's e-mail addresses page opens only for someone signed in (else: to the sign-in page)."""
        return self.get("/accounts/email/").status_code == 200

    def server_errors(self) -> list[tuple[str, int]]:
        return [(path, status) for path, status in self.statuses if status >= 500]


# --- the stack each scenario runs against (test_faults.py's `stack` fixture) ---


class Worker:
    """``manage.py db_worker``, restarted like systemd's Restart=always would, when asked."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.restarts = 0

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def keep_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.restarts += 1
            self.start()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@dataclass
class Stack:
    env: dict[str, str]
    web: Server
    worker: Worker
    postgres: PrivatePostgres
    redis: RedisServer
    limits_redis: RedisServer
    akismet: FakeAkismet
    smtp: FakeSmtp

    def orm(self, code: str) -> str:
        return orm(self.env, code)

    def health(self) -> dict:
        return httpx.get(self.web.url + "/healthz", timeout=10).json()

    def wait_for_the_queue_to_drain(self, timeout: float) -> float:
        """Until no task is ready to run, then a few seconds for the one in hand (an Akismet timeout)."""
        started = time.monotonic()
        while True:
            self.worker.keep_running()
            report = self.health()
            if report["task_queue_depth"] == 0:
                time.sleep(5)
                return time.monotonic() - started
            assert time.monotonic() - started < timeout, f"tasks still queued after {timeout} s: {report}"
            time.sleep(0.5)


def statuses(outcomes) -> dict[int, int]:
    counts: dict[int, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return dict(sorted(counts.items()))


def mail_to(smtp: FakeSmtp, address: str, *, after: int) -> str:
    """The plain-text body of the first message to ``address`` among those received after the first
    ``after``; empty if none comes."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for message in smtp.messages[after:]:
            if address in message["To"]:
                return message.get_body(("plain",)).get_content()
        time.sleep(0.1)
    return ""
