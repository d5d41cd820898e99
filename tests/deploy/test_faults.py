"""The fault suite: one part of the production stack fails while people use the site.

The stack is the real one: gunicorn from deploy/gunicorn.conf.py with
production settings, ``manage.py db_worker``, a PostgreSQL cluster of the
suite's own (it gets restarted), a Redis of its own (it gets stopped), and
the fake Akismet of tests/comments/fake_akismet.py. Each scenario writes its
figures into the test output and docs/reliability.md before it asserts.
"""

from __future__ import annotations

import re
import secrets
import threading
import time

import pytest

from .faults import (
    CommentPoster,
    Reader,
    Visitor,
    mail_to,
    record_figures,
    statuses,
    stored_markers,
)
from .services import manage

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"


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


LOCKED = "Too many failed sign-in attempts"
WRONG = "is not right"


def test_with_both_redis_stopped_people_sign_in_sign_up_and_reset_and_wrong_passwords_stay_limited(stack):
    tag = secrets.token_hex(3)
    reader, guesser = f"reader-{tag}@example.org", f"guesser-{tag}"
    password = secrets.token_urlsafe(12)
    stack.orm(
        "from django.contrib.auth import get_user_model\n"
        "from allauth.account.models import EmailAddress\n"
        "User = get_user_model()\n"
        f"user = User.objects.create_user('reader-{tag}', {reader!r}, {password!r})\n"
        f"EmailAddress.objects.create(user=user, email={reader!r}, primary=True, verified=True)\n"
        f"User.objects.create_user({guesser!r}, 'guesser-{tag}@example.org', {password!r})\n"
    )
    network = f"10.{secrets.randbelow(200) + 20}.{secrets.randbelow(250)}"
    visitors: list[Visitor] = []

    def visitor(n: int) -> Visitor:
        visitors.append(Visitor(stack.web.url, f"{network}.{n}"))
        return visitors[-1]

    stack.redis.pause()
    stack.limits_redis.pause()
    started = time.monotonic()
    try:
        signed_in_with_password = visitor(1)
        signed_in_with_password.submit("/accounts/login/", {"login": reader, "password": password})
        password_works = signed_in_with_password.is_signed_in()

        guessing = visitor(2)
        limit = 5  # ACCOUNT_LOGIN_FAILED_LIMIT's per account and address
        guesses = [
            guessing.submit("/accounts/login/", {"login": guesser, "password": f"guess-{n}"}).text
            for n in range(limit + 1)
        ]
        refused_after = next((n for n, page in enumerate(guesses) if LOCKED in page), None)
        right_after_guesses = guessing.submit("/accounts/login/", {"login": guesser, "password": password})
        locked_out = LOCKED in right_after_guesses.text and not guessing.is_signed_in()

        newcomer = visitor(3)
        new_address = f"new-{tag}@example.org"
        newcomer.submit("/accounts/signup/", {"email": new_address, "password1": secrets.token_urlsafe(12)})
        signed_up = newcomer.is_signed_in()

        by_code = visitor(4)
        seen = len(stack.smtp.messages)
        asked = by_code.submit("/accounts/login/code/", {"email": reader})
        code = re.search(r"browser window\.\s+(\S+)\s", mail_to(stack.smtp, reader, after=seen))
        by_code.submit("/accounts/login/code/confirm/", {"code": code.group(1) if code else ""})
        signed_in_by_code = asked.status_code == 302 and by_code.is_signed_in()

        forgetful = visitor(5)
        seen = len(stack.smtp.messages)
        forgetful.submit("/accounts/password/reset/", {"email": reader})
        reset_mail = "/accounts/password/reset/key/" in mail_to(stack.smtp, reader, after=seen)
        outage_seconds = time.monotonic() - started
        counted_in_database = int(
            stack.orm(
                "from pagecache.models import CountedLimit\nprint(CountedLimit.objects.count())"
            ).strip()
        )
    finally:
        stack.redis.resume()
        stack.limits_redis.resume()
    answers = [status for v in visitors for _, status in v.statuses]
    server_errors = [error for v in visitors for error in v.server_errors()]
    record_figures(
        "accounts",
        [
            f"both Redis stopped (SIGSTOP) for {outage_seconds:.1f} s while 5 visitors used every account form",
            f"answers: {len(answers)}, of which >= 500: {len(server_errors)}",
            f"sign-in with a password: {'signed in' if password_works else 'FAILED'}; sign-up: "
            f"{'signed in' if signed_up else 'FAILED'}; sign-in by e-mail code: "
            f"{'signed in' if signed_in_by_code else 'FAILED'}; password reset: "
            f"{'mail sent' if reset_mail else 'FAILED'}",
            f"wrong passwords for one account from one address: refused from try "
            f"{refused_after + 1 if refused_after is not None else 'never'} (limit {limit}); the right "
            f"password after them: {'refused' if locked_out else 'LET IN'}",
            f"limit counts written to the database meanwhile: {counted_in_database}",
        ],
    )
    assert server_errors == []
    assert password_works
    assert all(WRONG in page for page in guesses[:limit])
    assert refused_after == limit, "the limit was not counted while Redis was down"
    assert locked_out
    assert signed_up
    assert signed_in_by_code
    assert reset_mail
    assert counted_in_database > 0


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
        if verdict not in ("", "pending"):
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
        "print(mine.count(), mine.filter(spam_verdict='pending').count())\n"
    ).split()
    # One re-check pass, run when the re-checks scheduled during the outage fall due.
    pass_started = time.monotonic()
    rechecked = stack.orm(
        "from datetime import timedelta\nfrom django.utils import timezone\n"
        "from akismet_service import api\nfrom comments import tasks, verdicts\n"
        "due = timezone.now() + timedelta(minutes=verdicts.RECHECK_MINUTES + 1)\n"
        "with api.connect() as (client, alerts):\n"
        "    print(len(tasks.recheck_due(client=client, alerts=alerts, now=due, limit=100000)))\n"
    ).strip()
    pass_seconds = time.monotonic() - pass_started
    after = stack.orm(
        "from comments.models import Comment\n"
        f"mine = Comment.objects.filter(text__contains={tag + '-'!r})\n"
        "print(mine.count(), mine.filter(spam_verdict='pending').count(),\n"
        "      mine.filter(status='approved', spam_verdict='pending').count(), mine.filter(status='approved').count())\n"
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
