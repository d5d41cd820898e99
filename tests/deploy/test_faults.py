"""The fault suite: one part of the production stack fails while people use the site.

The stack is the real one: gunicorn from deploy/gunicorn.conf.py with
production settings, ``manage.py db_worker``, a PostgreSQL cluster of the
suite's own (it gets restarted), a Redis of its own (it gets stopped), and
the fake Akismet of tests/comments/fake_akismet.py. Each scenario writes its
figures into the test output and docs/reliability.md before it asserts.
"""

from __future__ import annotations

import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fake_akismet import FakeAkismet

from .conftest import ROOT, Server, free_port, manage, orm, require_binary, spawn, stop
from .faults import CommentPoster, PrivatePostgres, Reader, record_figures, stored_markers

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"


@pytest.fixture(scope="module")
def fake_akismet() -> Iterator[FakeAkismet]:
    server = FakeAkismet().start()
    server.ham()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    cluster.start()
    yield cluster
    cluster.cleanup()


@dataclass
class RedisServer:
    process: subprocess.Popen
    url: str

    def pause(self) -> None:
        """Stopped as with SIGSTOP: connections hang (the slow case), and its pages survive (the stale case)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture(scope="module")
def fault_redis(tmp_path_factory) -> Iterator[RedisServer]:
    folder = tmp_path_factory.mktemp("fault-redis")
    port = free_port()
    process = spawn(
        [require_binary("redis-server", "redis-server"), "--bind", "127.0.0.1", "--port", str(port),
         "--save", "", "--appendonly", "no", "--dir", str(folder),
         "--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru"],
        folder / "redis.log",
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, (folder / "redis.log").read_text()
            time.sleep(0.1)
    server = RedisServer(process, f"redis://127.0.0.1:{port}/0")
    yield server
    server.resume()
    stop(process)


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
    akismet: FakeAkismet

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


@pytest.fixture(scope="module")
def stack(production_env, private_postgres, fault_redis, fake_akismet, start_gunicorn, tmp_path_factory):
    env = {
        **production_env,
        "DATABASE_URL": private_postgres.create_database("faults"),
        "REDIS_URL": fault_redis.url,
        "DATABASE_POOL_MAX": "4",
        "GUNICORN_THREADS": "4",
        "PYTHON_AKISMET_API_KEY": "fault-suite-key",
        "PYTHON_AKISMET_BLOG_URL": "http://127.0.0.1",
        "AKISMET_API_URL": f"http://127.0.0.1:{fake_akismet.port}",
        "AKISMET_IS_TEST": "1",
        "DJANGO_LOG_LEVEL": "ERROR",
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
    yield Stack(env, web, worker, private_postgres, fault_redis, fake_akismet)
    worker.stop()


def statuses(outcomes) -> dict[int, int]:
    counts: dict[int, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return dict(sorted(counts.items()))


def test_redis_stopped_for_ten_seconds_costs_no_page_no_comment_and_hides_no_approval(stack, tmp_path):
    tag = f"redis{secrets.token_hex(2)}"
    approved_text = f"Approved while Redis was stopped ({tag})"
    pk = stack.orm(
        "from comments.models import Comment\n"
        "from exercises.models import Exercise\n"
        f"c = Comment.objects.create(target=Exercise.objects.get(slug='knee-walking'), name='Eve',\n"
        f"    email='eve@example.org', text={approved_text!r}, status='pending')\n"
        "print(c.pk)\n"
    ).strip()
    stack.web.get(PAGE)
    assert stack.web.get(PAGE).headers["X-Page-Cache"] == "hit"

    poster = CommentPoster(stack.web.url, PAGE, tag)
    moments: dict[str, float] = {}
    health_during: list[dict] = []
    go = tmp_path / "approve"

    def approve() -> None:
        """An editor's approval from another process, made as soon as Redis is stopped."""
        stack.orm(
            "import time\nfrom pathlib import Path\n"
            "from comments import lifecycle\nfrom comments.models import Comment\n"
            f"comment = Comment.objects.get(pk={pk})\n"
            f"while not Path({str(go)!r}).exists():\n    time.sleep(0.05)\n"
            "lifecycle.approve([comment], actor=None)\n"
        )
        moments["approved"] = time.monotonic()

    approver = threading.Thread(target=approve)
    approver.start()  # Django starts up meanwhile
    poster.wait_until_the_form_is_old_enough(seconds=8)
    readers = [Reader(stack.web.url, ["/", "/exercises/", PAGE]).start() for _ in range(2)]

    def outage(elapsed: float) -> None:
        if elapsed >= 3 and "paused" not in moments:
            stack.redis.pause()
            moments["paused"] = time.monotonic()
            go.touch()
        elif "paused" in moments and "resumed" not in moments and not health_during:
            # Asked here, while Redis is surely stopped: asked after the approval (a new Python
            # process), a loaded machine could reach it after Redis was back.
            health_during.append(stack.health())
        if elapsed >= 13 and "resumed" not in moments:
            stack.redis.resume()
            moments["resumed"] = time.monotonic()

    outcomes = poster.post_at_rate(100, 5, during=outage)
    approver.join(60)
    time.sleep(3)
    for reader in readers:
        reader.stop()
    # Every comment the worker checks changes the page (and so every cached page): once it is
    # through the comments posted during the outage, pages come from the cache again.
    stack.akismet.ham()
    drained = stack.wait_for_the_queue_to_drain(timeout=300)
    first_hit = None
    while first_hit is None and time.monotonic() - moments["resumed"] < drained + 60:
        if stack.web.get(PAGE).headers["X-Page-Cache"] == "hit":
            first_hit = time.monotonic() - moments["resumed"]
        time.sleep(0.2)
    stored = stored_markers(stack.orm, tag)
    answers = [answer for reader in readers for answer in reader.answers]
    page_after_approval = [a for a in answers if a[1] == PAGE and a[0] > moments["approved"]]
    stale = [a for a in page_after_approval if approved_text not in a[3]]
    after_resume = [a for a in page_after_approval if a[0] > moments["resumed"] + 3]
    accepted = [o for o in outcomes if o.status == 302]
    lost = [o.marker for o in accepted if o.marker not in stored]
    failed_reads = [a for a in answers if a[2] >= 500 or a[2] == 0]
    outage_seconds = moments["resumed"] - moments["paused"]
    record_figures(
        "redis",
        [
            f"Redis stopped (SIGSTOP) for {outage_seconds:.1f} s while 2 readers read 3 pages in a loop "
            f"and 100 comments were posted at 5 per second",
            f"page answers: {len(answers)}, of which >= 500 or no answer: {len(failed_reads)}",
            f"comment posts answered: {statuses(outcomes)}; accepted and stored: "
            f"{len(accepted) - len(lost)} of {len(accepted)}",
            f"/healthz during the outage: HTTP 200, cache {health_during[0]['cache'] if health_during else '?'}",
            f"page answers after the approval made during the outage: {len(page_after_approval)}, "
            f"showing it: {len(page_after_approval) - len(stale)}",
            "pages served from the cache again "
            + (
                f"{first_hit:.1f} s after Redis came back, once the worker had checked the comments"
                if first_hit is not None
                else "never"
            ),
        ],
    )
    assert failed_reads == []
    assert [o for o in outcomes if o.status >= 500 or o.status == 0] == []
    assert lost == []
    assert health_during
    assert health_during[0]["cache"] == "unavailable"
    assert stale == [], "a page cached before the outage hid the approval made during it"
    assert after_resume, "no page was read after Redis came back"
    assert first_hit is not None, "pages were never served from the cache again"


def test_a_postgresql_restart_while_comments_are_posted_loses_no_committed_comment(stack):
    tag = f"pg{secrets.token_hex(2)}"
    poster = CommentPoster(stack.web.url, PAGE, tag)
    poster.wait_until_the_form_is_old_enough()
    moments: dict[str, float] = {}
    restarter = threading.Thread(
        target=lambda: moments.setdefault("restart_seconds", stack.postgres.restart())
    )

    def restart(elapsed: float) -> None:
        if elapsed >= 4 and not restarter.is_alive() and "started" not in moments:
            moments["started"] = time.monotonic()
            restarter.start()

    outcomes = poster.post_at_rate(120, 10, during=restart)
    restarter.join(60)
    time.sleep(1)
    stored = stored_markers(stack.orm, tag)
    saved = [o for o in outcomes if o.marker in stored]
    acknowledged_but_lost = [o.marker for o in outcomes if o.status == 302 and o.marker not in stored]
    retry_pages = [o for o in outcomes if o.status == 503 and o.kept_text]
    neither = [o for o in outcomes if o.marker not in stored and not (o.status == 503 and o.kept_text)]
    record_figures(
        "postgresql",
        [
            f"PostgreSQL restarted (pg_ctl restart -m fast, {moments.get('restart_seconds', 0):.1f} s) "
            f"4 s into 120 comments posted at 10 per second",
            f"answers: {statuses(outcomes)}",
            f"saved: {len(saved)}; answered with the retry page that keeps the text: {len(retry_pages)}; "
            f"acknowledged but not stored: {len(acknowledged_but_lost)}; neither saved nor kept: {len(neither)}",
            f"worker restarts needed: {stack.worker.restarts}",
        ],
    )
    assert acknowledged_but_lost == []
    assert neither == [], [(o.marker, o.status) for o in neither]
    stack.worker.keep_running()


def test_a_worker_killed_during_a_spam_check_leaves_the_comment_to_be_checked_after_it_restarts(stack):
    tag = f"kill{secrets.token_hex(2)}"
    poster = CommentPoster(stack.web.url, PAGE, tag)
    stack.akismet.ham()
    stack.wait_for_the_queue_to_drain(timeout=300)  # the checks of the comments posted before
    poster.wait_until_the_form_is_old_enough()
    stack.akismet.answer("false", delay=8)  # slow enough to kill the worker in the middle of the check
    outcome = poster.post(0)
    assert outcome.status == 302
    deadline = time.monotonic() + 30
    while not any(tag in request.fields.get("comment_content", "") for request in stack.akismet.received):
        assert time.monotonic() < deadline, (
            f"the worker never asked Akismet:\n{stack.worker.log.read_text()[-3000:]}"
        )
        time.sleep(0.1)
    stack.worker.kill()
    killed = time.monotonic()
    stack.akismet.ham()
    stack.worker.start()
    # What backcare-recheck.timer runs every 5 minutes; "a few minutes later" for the comment.
    stack.orm(
        "from datetime import timedelta\nfrom django.utils import timezone\n"
        "from comments.models import Comment\n"
        f"Comment.objects.filter(text__contains={tag!r}).update(submitted_at=timezone.now() - timedelta(minutes=15))\n"
    )
    manage(stack.env, "recheck_comments")
    verdict = ""
    while time.monotonic() - killed < 60:
        verdict = stack.orm(
            "from comments.models import Comment\n"
            f"print(Comment.objects.get(text__contains={tag!r}).spam_verdict)\n"
        ).strip()
        if verdict:
            break
        time.sleep(1)
    record_figures(
        "worker",
        [
            "the worker was killed (SIGKILL) while Akismet took 8 s to answer the comment's check",
            f"verdict after the worker restarted and the re-check job ran: {verdict or 'none'} "
            f"({time.monotonic() - killed:.1f} s after the kill)",
        ],
    )
    assert verdict == "ham"


def test_a_long_akismet_outage_with_500_comments_loses_none_and_publishes_none_unchecked(stack):
    tag = f"akismet{secrets.token_hex(2)}"
    poster = CommentPoster(stack.web.url, PAGE, tag)
    poster.wait_until_the_form_is_old_enough()
    stack.worker.keep_running()
    stack.akismet.answer("Service Unavailable", status=503)
    phases: dict[str, float] = {}

    def akismet_phases(elapsed: float) -> None:
        if elapsed >= 30 and "slow" not in phases:
            stack.akismet.answer("false", delay=3)
            phases["slow"] = elapsed

    started = time.monotonic()
    outcomes = poster.post_at_rate(500, 10, during=akismet_phases)
    posting_seconds = time.monotonic() - started
    stack.akismet.ham()  # Akismet recovers
    drain_seconds = stack.wait_for_the_queue_to_drain(timeout=240)
    before_pass = stack.orm(
        "from comments.models import Comment\n"
        f"mine = Comment.objects.filter(text__contains={tag + '-'!r})\n"
        "print(mine.count(), mine.filter(spam_verdict='').count())\n"
    ).split()
    # One re-check pass, run when the re-checks scheduled during the outage fall due.
    pass_started = time.monotonic()
    rechecked = stack.orm(
        "from datetime import timedelta\nfrom django.conf import settings\nfrom django.utils import timezone\n"
        "from akismet_service import api\nfrom comments import pipeline\n"
        "due = timezone.now() + timedelta(minutes=settings.COMMENTS_RECHECK_MINUTES + 1)\n"
        "with api.connect() as (client, alerts):\n"
        "    print(len(pipeline.recheck_due(client=client, alerts=alerts, now=due, limit=100000)))\n"
    ).strip()
    pass_seconds = time.monotonic() - pass_started
    after = stack.orm(
        "from comments.models import Comment\n"
        f"mine = Comment.objects.filter(text__contains={tag + '-'!r})\n"
        "print(mine.count(), mine.filter(spam_verdict='').count(),\n"
        "      mine.filter(status='approved', spam_verdict='').count(), mine.filter(status='approved').count())\n"
    ).split()
    stored, without_verdict, published_unchecked, published = (int(x) for x in after)
    server_errors = [o for o in outcomes if o.status >= 500 or o.status == 0]
    record_figures(
        "akismet",
        [
            f"500 comments posted at 10 per second in {posting_seconds:.0f} s; the fake Akismet answered 503 "
            f"for the first 30 s, then took 3 s per answer (PYTHON_AKISMET_TIMEOUT 3 s), then recovered",
            f"answers: {statuses(outcomes)}; stored: {stored} of 500",
            f"when the task queue had drained ({drain_seconds:.0f} s after posting): "
            f"{before_pass[1]} without a verdict",
            f"one re-check pass when due: {rechecked} re-checked in {pass_seconds:.0f} s; "
            f"without a verdict after it: {without_verdict}",
            f"published: {published}, of which without a verdict: {published_unchecked}",
        ],
    )
    assert stored == 500
    assert server_errors == []
    assert published_unchecked == 0
    assert without_verdict == 0
