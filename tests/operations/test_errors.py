"""Errors reach a person: a view that raises and a task that fails, under production settings.

Each runs in a process of its own with DEBUG off, the real SMTP backend pointed at a
mail server on loopback (tests/fake_smtp.py) and, where Sentry is configured, a fake
ingest endpoint (tests/fake_sentry.py).
"""

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.fake_sentry import FakeSentry
from tests.fake_smtp import FakeSmtp
from tests.operations.errors_probe import COMMENTER_EMAIL, CSRF_COOKIE, POSTED_PASSWORD, SESSION_COOKIE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = "test-only-" + "s3cr3t" * 10
SECRETS = {
    "secret key": SECRET_KEY,
    "database password": "database-password-42",
    "redis password": "redis-password-42",
    "redis limits password": "redis-limits-password-42",
    "mail password": "mail-password-42",
    "Akismet key": "akismet-key-42",
    "session cookie": SESSION_COOKIE,
    "CSRF cookie": CSRF_COOKIE,
    "posted password": POSTED_PASSWORD,
}


def production_env(*, database: Path, smtp: FakeSmtp, sentry: FakeSentry | None) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "SENTRY_", "EMAIL_", "REDIS_", "TASKS_"))
    }
    env = {
        **clean,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "backcare.example.org",
        "DJANGO_ADMINS": "Site Owner <owner@example.org>",
        # SQLite has no password: this one is read only to be hidden.
        "DATABASE_URL": f"sqlite:///{database}?password={SECRETS['database password']}",
        # Nothing listens on port 9: the cache degrades, the password must still not show.
        "REDIS_URL": f"redis://:{SECRETS['redis password']}@127.0.0.1:9/0",
        "REDIS_LIMITS_URL": f"redis://:{SECRETS['redis limits password']}@127.0.0.1:9/1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_PASSWORD": SECRETS["mail password"],
        "PYTHON_AKISMET_API_KEY": SECRETS["Akismet key"],
        "PYTHON_AKISMET_BLOG_URL": "https://backcare.example.org",
        "TASKS_BACKEND": "database",
    }
    if sentry:
        env |= {"SENTRY_DSN": sentry.dsn, "SENTRY_ENVIRONMENT": "drill", "SENTRY_RELEASE": "backcare@test"}
    return env


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[tuple[FakeSmtp, FakeSentry, Path]]:
    database = tmp_path_factory.mktemp("errors") / "site.sqlite3"
    with FakeSmtp() as smtp, FakeSentry() as sentry:
        run("manage.py", "migrate", "-v0", env=production_env(database=database, smtp=smtp, sentry=None))
        yield smtp, sentry, database


def collect(smtp: FakeSmtp, sentry: FakeSentry) -> tuple[list[EmailMessage], list[dict[str, Any]]]:
    mails, events = list(smtp.messages), list(sentry.events)
    smtp.messages.clear()
    sentry.events.clear()
    return mails, events


@pytest.fixture(scope="module")
def broken_request(servers) -> tuple[str, list[EmailMessage], list[dict[str, Any]], str]:
    smtp, sentry, database = servers
    collect(smtp, sentry)
    env = production_env(database=database, smtp=smtp, sentry=sentry)
    result = run("-m", "tests.operations.errors_probe", "request", env=env)
    return result.stdout.strip(), *collect(smtp, sentry), result.stderr


@pytest.fixture(scope="module")
def broken_task(servers) -> tuple[list[EmailMessage], list[dict[str, Any]]]:
    smtp, sentry, database = servers
    collect(smtp, sentry)
    env = production_env(database=database, smtp=smtp, sentry=sentry)
    run("-m", "tests.operations.errors_probe", "enqueue", env=env)
    run("manage.py", "db_worker", "--batch", "--interval", "0.1", env=env)
    return collect(smtp, sentry)


def secrets_in(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def test_a_view_that_raises_sends_one_mail_to_the_admins_naming_the_error(broken_request):
    status, mails, _, _ = broken_request
    assert status == "500"
    assert len(mails) == 1
    assert mails[0]["To"] == "Site Owner <owner@example.org>"
    assert "RuntimeError" in mails[0]["Subject"]
    assert "/broken/" in mails[0]["Subject"]
    assert "the view broke" in mails[0].get_content()


def test_the_error_mail_shows_no_secret_setting_cookie_or_posted_password(broken_request):
    _, mails, _, _ = broken_request
    body = mails[0].get_content()
    # The names are shown, so the admin sees what was there, the values masked.
    assert "SECRET_KEY" in body
    assert "sessionid" in body
    assert "password = '********************'" in body
    assert secrets_in(body) == []


def test_a_view_that_raises_is_still_written_once_to_the_journal(broken_request):
    *_, console = broken_request
    assert console.count("ERROR django.request Internal Server Error: /broken/") == 1


def test_a_view_that_raises_reaches_sentry_when_a_dsn_is_set(broken_request):
    _, _, events, _ = broken_request
    errors = [e for e in events if e.get("exception")]
    assert len(errors) == 1
    event = errors[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "drill"
    assert event["release"] == "backcare@test"
    assert event["transaction"] == "/broken/"
    assert event["request"]["url"].endswith("backcare.example.org/broken/")


def test_the_sentry_event_holds_no_cookie_password_or_commenter_address(broken_request):
    _, _, events, _ = broken_request
    sent = json.dumps(events)
    assert secrets_in(sent) == []
    assert COMMENTER_EMAIL not in sent
    assert "cookies" not in events[0]["request"]
    assert events[0]["request"]["headers"].get("Cookie") in (None, "[Filtered]")
    assert "203.0.113.7" not in sent  # the visitor's address
    assert "user" not in events[0] or "email" not in events[0]["user"]


def test_a_task_that_fails_in_the_worker_sends_one_mail_to_the_admins(broken_task):
    mails, _ = broken_task
    assert len(mails) == 1
    assert "fail_on_purpose" in mails[0]["Subject"]
    assert "RuntimeError" in mails[0]["Subject"]
    assert "the task broke" in mails[0].get_content()
    assert secrets_in(mails[0].get_content()) == []


def test_a_task_that_fails_in_the_worker_reaches_sentry(broken_task):
    _, events = broken_task
    errors = [e for e in events if e.get("exception")]
    assert len(errors) == 1
    assert errors[0]["exception"]["values"][-1]["type"] == "RuntimeError"
    assert secrets_in(json.dumps(events)) == []


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_worker_goes_on_when_the_error_mail_cannot_be_sent(servers):
    smtp, _, database = servers
    env = production_env(database=database, smtp=smtp, sentry=None) | {"EMAIL_PORT": str(closed_port())}
    run("-m", "tests.operations.errors_probe", "enqueue", env=env)
    run("-m", "tests.operations.errors_probe", "enqueue", env=env)
    result = run("manage.py", "db_worker", "--batch", "--interval", "0.1", env=env)
    log = result.stdout + result.stderr
    assert log.count("path=tests.operations.broken_tasks.fail_on_purpose state=FAILED") == 2
    assert "Connection refused" in log


def test_the_documented_mail_check_reaches_the_admins(servers):
    smtp, sentry, database = servers
    collect(smtp, sentry)
    env = production_env(database=database, smtp=smtp, sentry=None)
    run("manage.py", "sendtestemail", "--admins", env=env)
    mails, _ = collect(smtp, sentry)
    assert [mail["To"] for mail in mails] == ["Site Owner <owner@example.org>"]
    assert "sendtestemail --admins" in (BASE_DIR / "docs" / "deploying.md").read_text()


@pytest.mark.parametrize(("dsn", "active"), [(None, "False"), ("", "False"), ("set", "True")])
def test_sentry_starts_only_when_a_dsn_is_given(servers, dsn, active):
    smtp, sentry, database = servers
    env = production_env(database=database, smtp=smtp, sentry=sentry if dsn else None)
    if dsn == "":
        env["SENTRY_DSN"] = ""  # as deploy/.env.example ships it
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert run("manage.py", "shell", "-v0", "-c", code, env=env).stdout.split() == [active]
