"""Shared fixtures for the comments tests: a page to comment on and a posting helper."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from comments import tokens
from tests.factories import ExerciseFactory


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
