"""Shared fixtures for the comments tests: a posting helper and the fake Akismet server."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from comments import tokens
from tests.factories import ExerciseFactory

from .fake_akismet import FakeAkismet, fake_akismet_server

__all__ = ["fake_akismet_server"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Flood-control slots live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_akismet_key(monkeypatch):
    """Tests never reach the real Akismet: no key unless a test sets one."""
    monkeypatch.delenv("PYTHON_AKISMET_API_KEY", raising=False)
    monkeypatch.delenv("PYTHON_AKISMET_BLOG_URL", raising=False)


@pytest.fixture
def exercise(db):
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


def old_token(target, *, seconds_ago: int = 600) -> str:
    """A form token as issued some time ago, so the post is not "too fast"."""
    return tokens.issue_form_token(target, now=tokens.now_seconds() - seconds_ago)


def comment_data(target, **overrides) -> dict[str, str]:
    data = {
        "name": "Gwen",
        "email": "gwen@example.org",
        "url": "",
        "text": "Does knee walking help with sciatica too?",
        "token": old_token(target),
        "parent": "",
        "your_phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post_comment(client, django_capture_on_commit_callbacks):
    """Post the comment form as a browser on this site would, running on-commit tasks."""

    def post(
        target,
        *,
        headers: dict[str, str] | None = None,
        remote_addr: str = "127.0.0.1",
        language: str = "en-gb",
        **overrides,
    ):
        sent_headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin", **(headers or {})}
        sent_headers = {key: value for key, value in sent_headers.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            with translation.override(language):
                url = reverse("comments:post")
            return client.post(
                url,
                comment_data(target, **overrides),
                headers=sent_headers,
                REMOTE_ADDR=remote_addr,
            )

    return post


@pytest.fixture
def fake_akismet(fake_akismet_server) -> FakeAkismet:
    return fake_akismet_server


@pytest.fixture
def configured_akismet(monkeypatch):
    """An Akismet key in the environment (never a real one: requests go to a fake server)."""
    monkeypatch.setenv("PYTHON_AKISMET_API_KEY", "test-key-123")
    monkeypatch.setenv("PYTHON_AKISMET_BLOG_URL", "http://testserver")


@pytest.fixture
def akismet_via(monkeypatch, configured_akismet):
    """``akismet_via(transport)``: the tasks' Akismet client goes through ``transport``."""
    from comments import tasks

    from .fake_akismet import real_client

    def use(transport):
        monkeypatch.setattr(tasks, "akismet_client", lambda: real_client(transport))

    return use


@pytest.fixture
def akismet_sync_client(configured_akismet, akismet_sync_class):
    """The akismet pytest plugin's test client; it reads its key from the environment."""
    return akismet_sync_class()
