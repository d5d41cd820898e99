"""Fixtures shared by every test: data factories and the real browser."""

import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache

from akismet_service import api
from tests import shared_pdfs
from tests.fake_akismet import FakeAkismet, real_client

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = BASE_DIR / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Console messages of a page that broke a policy: the CSP, a Subresource Integrity
# check, or a Permissions-Policy header Chromium does not understand.
BROKEN_POLICY = re.compile(
    r"Content Security Policy|integrity|Permissions-Policy|Permissions policy", re.IGNORECASE
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The flags keep Chromium off the network: this machine reaches no public host.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter) -> None:
    """The fault suite's measured figures (tests/deploy/test_faults.py), whatever the outcome."""
    faults = sys.modules.get("tests.deploy.faults")
    if faults is None or not faults.FIGURES:
        return
    terminalreporter.section("fault suite figures (also in docs/reliability.md)")
    for scenario, lines in faults.FIGURES:
        terminalreporter.write_line(f"{scenario}:")
        for line in lines:
            terminalreporter.write_line(f"  - {line}")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> Iterator[None]:
    """Passwords are hashed with MD5 in tests: Django's PBKDF2 takes about a second a hash
    here, and factories and sign-ins hash on almost every test (docs/performance.md,
    "The test loop"). No test is about the hashing; a test may still set its own hashers."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def _session_monkeypatch() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(autouse=True)
def _shared_pdf_renders(_session_monkeypatch: pytest.MonkeyPatch) -> None:
    """Each distinct PDF is laid out once a run (tests/shared_pdfs.py). Turned on once WeasyPrint
    is imported (by the first PDF build), so a run that builds no PDF never loads it."""
    weasyprint = sys.modules.get("weasyprint")
    if weasyprint is not None:
        shared_pdfs.share_renders(weasyprint, _session_monkeypatch)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page, flood counter or lock left by another,
    and no memory of cache failures in an earlier test."""
    from django.contrib.contenttypes.models import ContentType

    from pagecache.guard import counters_guard, guard
    from pagecache.invalidation import reconciler

    guard.reset()
    counters_guard.reset()
    reconciler.reset()
    cache.clear()
    # A test with serialized_rollback empties the tables without re-creating the content
    # types, and the process's content-type cache would then name rows that are gone.
    ContentType.objects.clear_cache()
    yield
    cache.clear()
    guard.reset()
    counters_guard.reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block as a committed transaction: what it defers to after commit runs at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _no_akismet_key(monkeypatch):
    """Tests never reach the real Akismet: no key unless a test sets one."""
    monkeypatch.delenv("PYTHON_AKISMET_API_KEY", raising=False)
    monkeypatch.delenv("PYTHON_AKISMET_BLOG_URL", raising=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded pictures go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fast_passwords(settings):
    """Passwords hash with MD5: the hashing cost is not under test, and a tenth of a second per
    sign-in adds up. For tests that sign in with a password rather than ``force_login``."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "ed", email="ed@backcare.example.org", password="pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- Akismet, never the real one ---------------------------------------------


@pytest.fixture
def fake_akismet() -> Iterator[FakeAkismet]:
    """A fake Akismet HTTP server on 127.0.0.1; each test programs its answers."""
    server = FakeAkismet().start()
    yield server
    server.stop()


@pytest.fixture
def configured_akismet(monkeypatch):
    """An Akismet key in the environment (never a real one: requests go to a fake server)."""
    monkeypatch.setenv("PYTHON_AKISMET_API_KEY", "test-key-123")
    monkeypatch.setenv("PYTHON_AKISMET_BLOG_URL", "http://testserver")


@pytest.fixture
def akismet_via(monkeypatch, configured_akismet):
    """``akismet_via(transport)``: every caller of ``api.connect()`` talks through ``transport``."""

    def use(transport):
        monkeypatch.setattr(api, "connect", lambda **_kwargs: real_client(transport))

    return use


@pytest.fixture
def akismet_sync_client(configured_akismet, akismet_sync_class):
    """The akismet pytest plugin's test client; it reads its key from the environment."""
    return akismet_sync_class()


# --- Real browser -------------------------------------------------------------


class OneRequestAtATime(StaticFilesHandler):
    """The live server's handler, answering one request at a time.

    With SQLite in memory, Django's live server gives every request thread the test's one
    connection, and two requests using it at once fail ("bad parameter or other API misuse").
    A browser asks for several pages at once (the service worker keeps a page's follow-along
    and print pages together), so requests queue here; connections stay threaded. The body is
    read and the response closed inside the lock: a streamed body and Django's
    ``request_finished`` use the connection too.
    """

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = super().__call__(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        return [body]


@pytest.fixture(scope="session")
def live_server(request) -> Iterator:
    """pytest-django's live server, serialised (``OneRequestAtATime``) when it shares an in-memory
    SQLite connection; pytest-django's own ``_live_server_helper`` finds it by this name."""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's
    # database calls happen in its own thread, so Django's guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def javascript_enabled() -> bool:
    """Override with ``@pytest.mark.parametrize("javascript_enabled", [False])`` to browse without JS."""
    return True


@pytest.fixture
def page(browser, live_server, request, javascript_enabled) -> Iterator:
    """A fresh phone-sized browser tab; the test fails if any page breaks the Content Security Policy,
    has a file refused for its integrity hash, or sends a Permissions-Policy Chromium cannot read."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=javascript_enabled,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: csp_violations.append(message.text) if BROKEN_POLICY.search(message.text) else None,
    )
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    finally:
        context.close()
    assert not csp_violations, f"The page broke its security policies: {csp_violations}"


def run_axe(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (WCAG 2.2 A and AA)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() goes through the DevTools protocol, which the page's CSP
        # does not govern, so the audit runs against the real policy.
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    return json.dumps(
        [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ],
        indent=2,
    )


@pytest.fixture
def axe():
    """``axe(page)`` fails the test with a readable list when the page has any violation."""

    def audit(page) -> None:
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)

    return audit
