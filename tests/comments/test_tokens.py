"""comments/tokens.py: the signed form token, its window, its clock-skew tolerance, re-shown forms."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import F

from comments import tokens
from comments.models import Comment

from .factories import events

pytestmark = pytest.mark.django_db

WINDOW_START = 1_800_000_000  # a multiple of the 600-second window


@pytest.fixture(autouse=True)
def _token_settings(settings):
    settings.COMMENTS_FORM_TOKEN_WINDOW = 600
    settings.COMMENTS_FORM_MIN_SECONDS = 5
    settings.COMMENTS_FORM_CLOCK_SKEW = 2


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_every_reader_in_one_window_gets_the_same_token(exercise):
    first = tokens.issue_form_token(exercise, now=WINDOW_START + 10)
    second = tokens.issue_form_token(exercise, now=WINDOW_START + 590)
    assert first == second
    assert tokens.read_form_token(first).issued == WINDOW_START


def test_a_token_of_a_fresh_window_is_too_fast_for_a_robot_posting_at_once(exercise):
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=WINDOW_START))
    assert token.is_too_fast(now=WINDOW_START + 1)
    assert not token.is_too_fast(now=WINDOW_START + 3)


def test_a_reshown_form_token_can_be_posted_at_once(exercise):
    moment = WINDOW_START + 1  # the worst moment for a rounded token
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=moment, ready=True))
    assert not token.is_too_fast(now=moment)


def test_a_reshown_form_token_lasts_the_whole_maximum_age(exercise, settings):
    moment = WINDOW_START + 599
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=moment, ready=True))
    assert not token.is_expired(
        now=moment + settings.COMMENTS_FORM_MAX_AGE - settings.COMMENTS_FORM_MIN_SECONDS
    )


def test_a_server_whose_clock_is_behind_within_the_skew_does_not_hold_a_reader(exercise):
    """Server A issued the token at the start of a window; server B's clock is 2 s behind."""
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=WINDOW_START))
    reader_posts_after = 5
    assert not token.is_too_fast(now=WINDOW_START + reader_posts_after - 2)


def test_a_token_from_further_in_the_future_than_the_skew_is_too_fast(exercise):
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=WINDOW_START + 600))
    assert token.is_too_fast(now=WINDOW_START + 590)


def test_a_token_expires_only_after_the_maximum_age_and_the_skew(exercise, settings):
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=WINDOW_START))
    limit = WINDOW_START + settings.COMMENTS_FORM_MAX_AGE + settings.COMMENTS_FORM_CLOCK_SKEW
    assert not token.is_expired(now=limit)
    assert token.is_expired(now=limit + 1)


def test_a_tampered_token_is_not_ours(exercise):
    token = tokens.issue_form_token(exercise, now=WINDOW_START)
    assert tokens.read_form_token(token.replace(str(WINDOW_START), str(WINDOW_START + 600))) is None


def test_pressing_post_at_once_on_the_please_wait_page_is_not_held_as_too_fast(
    post_comment, exercise, monkeypatch
):
    """The "please wait" page came a moment after a window started; the reader presses Post again at once."""
    monkeypatch.setattr(tokens, "now_seconds", lambda: WINDOW_START + 1)
    post_comment(
        exercise, email="one@example.org", token=tokens.issue_form_token(exercise, now=WINDOW_START - 60)
    )
    waiting = post_comment(exercise, email="two@example.org", text="My second question, kept.")
    assert waiting.status_code == 429
    # The few seconds of flood control have passed (in the cache and in the database's check).
    cache.clear()
    Comment.objects.update(submitted_at=F("submitted_at") - timedelta(minutes=1))
    post_comment(
        exercise,
        email="two@example.org",
        text="My second question, kept.",
        token=token_in(waiting.content.decode()),
    )
    second = Comment.objects.get(email="two@example.org")
    assert second.held_reason != "sent too fast after the page loaded"
    assert "too-fast" not in events(second)


def test_pressing_post_at_once_on_the_expired_form_is_not_held_as_too_fast(
    post_comment, exercise, monkeypatch, settings
):
    monkeypatch.setattr(tokens, "now_seconds", lambda: WINDOW_START + 1)
    expired = tokens.issue_form_token(exercise, now=WINDOW_START - settings.COMMENTS_FORM_MAX_AGE - 700)
    shown_again = post_comment(exercise, token=expired, text="Still here after a long break.")
    assert shown_again.status_code == 200
    post_comment(
        exercise, token=token_in(shown_again.content.decode()), text="Still here after a long break."
    )
    comment = Comment.objects.get()
    assert "too-fast" not in events(comment)
