"""Pages with comments stay shareable in a cache until they are personalised."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import tokens

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_clock(monkeypatch):
    """Two requests in the same token window, whatever the wall clock says."""
    monkeypatch.setattr(tokens, "now_seconds", lambda: 1_800_000_100)


def test_an_anonymous_page_view_sets_no_cookie_and_has_no_csrf_token(client, exercise):
    response = client.get(exercise.get_absolute_url())
    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "private" not in response.get("Cache-Control", "")


def test_two_anonymous_visitors_get_byte_identical_pages_each_rendered_afresh(
    exercise, fixed_clock, settings
):
    """With the page cache off, so both pages are rendered: nothing per-visitor may be in them."""
    settings.PAGE_CACHE_ENABLED = False
    CommentFactory(on=exercise)
    first = Client().get(exercise.get_absolute_url())
    second = Client().get(exercise.get_absolute_url())
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert 'name="token"' in first.content.decode()
    assert first.content == second.content


def test_the_authors_page_shows_their_held_comment_and_is_private(client, post_comment, exercise):
    post_comment(exercise, text="Is a carpet soft enough?")
    response = client.get(exercise.get_absolute_url())
    html = response.content.decode()
    assert "Is a carpet soft enough?" in html
    assert "Your comment is awaiting approval." in html
    assert 'role="status"' in html
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_another_visitor_does_not_see_the_held_comment(client, post_comment, exercise):
    from django.test import Client

    post_comment(exercise, text="Is a carpet soft enough?")
    response = Client().get(exercise.get_absolute_url())
    assert "Is a carpet soft enough?" not in response.content.decode()
    assert "private" not in response.get("Cache-Control", "")


def test_spam_gets_the_same_neutral_awaiting_message(client, post_comment, exercise, monkeypatch):
    window_start = 1_800_000_000
    token = tokens.issue_form_token(exercise, now=window_start)
    monkeypatch.setattr(tokens, "now_seconds", lambda: window_start + 1)
    post_comment(exercise, text="Buy pills", token=token)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "Your comment is awaiting approval." in html


def test_saved_details_prefill_the_form_and_make_the_page_private(client, post_comment, exercise):
    post_comment(exercise, remember="on", name="Gwen", email="gwen@example.org")
    client.cookies.pop("sessionid", None)
    response = client.get(exercise.get_absolute_url())
    assert 'value="gwen@example.org"' in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_forged_saved_details_cookie_is_ignored(client, exercise):
    client.cookies["comment_author"] = "not-signed-by-us"
    response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200
    assert not getattr(response.wsgi_request, "comments_personalised", False)
    assert "not-signed-by-us" not in response.content.decode()


def test_unticking_remember_removes_the_saved_details(client, post_comment, exercise, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(exercise, remember="on", text="first")
    response = post_comment(exercise, text="second")
    assert response.cookies["comment_author"]["max-age"] == 0


def test_the_reply_page_sets_no_cookie_for_an_anonymous_visitor(client, exercise):
    parent = CommentFactory(on=exercise)
    response = client.get(reverse("comments:reply", args=[parent.pk]))
    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()
