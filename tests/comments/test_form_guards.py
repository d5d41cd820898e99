"""Each guard on the comment form: a clear message, the reader's text kept, nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse

from comments import tokens
from comments.models import Comment, CommentSettings
from tests.comments.conftest import old_token

from .factories import CommentFactory, events, reply_to

pytestmark = pytest.mark.django_db

TEXT = "My back feels better after three days, thank you."


def assert_reshown_with_text(response, message: str) -> None:
    html = response.content.decode()
    assert "data-error-summary" in html
    assert message in html
    assert TEXT in html
    assert Comment.objects.count() == 0


def test_a_good_comment_is_saved_pending_and_redirects_to_its_permalink(post_comment, exercise):
    response = post_comment(exercise, text=TEXT)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exercises/knee-walking/#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING


def test_the_saved_comment_keeps_the_context_akismet_needs(post_comment, exercise):
    post_comment(
        exercise,
        headers={"User-Agent": "Mobile Safari", "Referer": "http://testserver/exercises/knee-walking/"},
    )
    comment = Comment.objects.get()
    assert comment.ip == "127.0.0.1"
    assert comment.user_agent == "Mobile Safari"
    assert comment.referrer == "http://testserver/exercises/knee-walking/"
    assert comment.permalink == "http://testserver/exercises/knee-walking/"
    assert events(comment)[:2] == ["posted", "check-failed"]


def test_a_missing_name_is_reported_in_the_summary_linked_to_the_field(post_comment, exercise):
    response = post_comment(exercise, name="", text=TEXT)
    assert response.status_code == 200
    assert '<a href="#id_name">' in response.content.decode()
    assert_reshown_with_text(response, "This field is required.")


@pytest.mark.parametrize(("field", "limit"), [("name", 245), ("email", 254), ("url", 200)])
def test_fields_longer_than_their_limit_are_refused(post_comment, exercise, field, limit):
    values = {
        "name": "n" * (limit + 1),
        "email": "a" * (limit - 11) + "@example.org",
        "url": "https://example.org/" + "p" * limit,
    }
    response = post_comment(exercise, text=TEXT, **{field: values[field]})
    assert f'<a href="#id_{field}">' in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_comment_over_ten_thousand_characters_is_refused(post_comment, exercise):
    response = post_comment(exercise, text="a" * 10_001)
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_comment_of_exactly_ten_thousand_characters_is_accepted(post_comment, exercise):
    post_comment(exercise, text="a" * 10_000)
    assert Comment.objects.count() == 1


def test_control_characters_are_refused(post_comment, exercise):
    response = post_comment(exercise, text=TEXT + "\x07")
    assert_reshown_with_text(response, "invisible control characters")


def test_tabs_and_new_lines_are_allowed(post_comment, exercise):
    post_comment(exercise, text="First line\n\tindented\r\nthird")
    assert Comment.objects.get().text == "First line\n\tindented\r\nthird"


def test_the_website_must_be_http_or_https(post_comment, exercise):
    response = post_comment(exercise, text=TEXT, url="ftp://files.example.org/")
    assert_reshown_with_text(response, "starting with http:// or https://")


def test_a_filled_honeypot_is_refused_and_shown_so_a_person_can_clear_it(post_comment, exercise):
    response = post_comment(exercise, text=TEXT, your_phone="01970 123456")
    assert "comments-hp-shown" in response.content.decode()
    assert_reshown_with_text(response, "Please leave this field empty")


def test_a_post_sent_too_fast_is_held_for_a_person_never_filed_as_spam(post_comment, exercise, monkeypatch):
    window_start = 1_800_000_000
    token = tokens.issue_form_token(exercise, now=window_start)
    monkeypatch.setattr(tokens, "now_seconds", lambda: window_start + 1)
    post_comment(exercise, text=TEXT, token=token)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "sent too fast after the page loaded"
    assert events(comment)[:2] == ["posted", "too-fast"]


def test_a_person_can_never_look_too_fast_because_the_token_time_is_rounded_down(exercise, settings):
    settings.COMMENTS_FORM_TOKEN_WINDOW = 600
    issued_at = 1_800_000_299  # 299 s into a 10-minute window
    token = tokens.read_form_token(tokens.issue_form_token(exercise, now=issued_at))
    assert token.issued == 1_800_000_000
    assert token.age(now=issued_at + 3) >= 3


def test_an_expired_form_is_shown_again_with_a_fresh_token_and_the_text(post_comment, exercise, settings):
    expired = old_token(exercise, seconds_ago=settings.COMMENTS_FORM_MAX_AGE + 700)
    response = post_comment(exercise, text=TEXT, token=expired)
    assert response.status_code == 200
    assert expired not in response.content.decode()
    assert_reshown_with_text(response, "please send your comment again")


def test_sending_the_reshown_expired_form_saves_the_comment(client, post_comment, exercise, settings):
    expired = old_token(exercise, seconds_ago=settings.COMMENTS_FORM_MAX_AGE + 700)
    response = post_comment(exercise, text=TEXT, token=expired)
    fresh = response.context["form"]["token"].value()
    assert tokens.read_form_token(fresh) is not None
    post_comment(exercise, text=TEXT, token=tokens.issue_form_token(exercise, now=tokens.now_seconds() - 60))
    assert Comment.objects.filter(text=TEXT).count() == 1


def test_a_second_comment_from_the_same_ip_within_fifteen_seconds_gets_429_with_the_text(
    post_comment, exercise
):
    post_comment(exercise, email="one@example.org")
    response = post_comment(exercise, email="two@example.org", text=TEXT)
    assert response.status_code == 429
    assert TEXT in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_second_comment_from_the_same_email_from_another_ip_gets_429(post_comment, exercise):
    post_comment(exercise, email="gwen@example.org")
    response = post_comment(exercise, email="gwen@example.org", text=TEXT, remote_addr="198.51.100.7")
    assert response.status_code == 429


def test_the_same_comment_twice_is_refused_kindly(post_comment, exercise, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    CommentFactory(on=exercise, email="gwen@example.org", text=TEXT, pending=True)
    response = post_comment(exercise, email="Gwen@Example.org", text=TEXT)
    assert "You have already sent this comment" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_is_saved_under_its_parent(post_comment, exercise):
    parent = CommentFactory(on=exercise)
    post_comment(exercise, parent=str(parent.pk))
    reply = Comment.objects.get(parent=parent)
    assert (reply.depth, reply.root_id) == (2, parent.pk)


def test_replies_stop_at_depth_three(post_comment, exercise):
    third = reply_to(reply_to(CommentFactory(on=exercise)))
    response = post_comment(exercise, parent=str(third.pk), text=TEXT)
    assert "Replies to this comment are closed." in response.content.decode()


def test_a_reply_to_a_comment_on_another_page_is_refused(post_comment, exercise):
    elsewhere = CommentFactory()
    response = post_comment(exercise, parent=str(elsewhere.pk), text=TEXT)
    assert "That reply does not belong here." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_to_a_held_comment_is_refused(post_comment, exercise):
    held = CommentFactory(on=exercise, pending=True)
    response = post_comment(exercise, parent=str(held.pk), text=TEXT)
    assert "no longer on the page" in response.content.decode()


def test_comments_closed_on_a_page_refuse_posts(post_comment, exercise):
    CommentSettings.objects.create(target=exercise, closed=True)
    response = post_comment(exercise, text=TEXT)
    assert_reshown_with_text(response, "Comments are closed on this page.")


def test_comments_close_automatically_after_the_configured_days(post_comment, exercise, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    exercise.published_at -= timedelta(days=31)
    exercise.save()
    response = post_comment(exercise, text=TEXT)
    assert_reshown_with_text(response, "Comments are closed on this page.")


def test_the_remember_box_sets_a_lax_httponly_cookie_for_a_year(post_comment, exercise, settings):
    settings.DEBUG = False
    response = post_comment(exercise, remember="on")
    cookie = response.cookies["comment_author"]
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["secure"] is True


def test_no_cookie_is_set_when_the_remember_box_is_not_ticked(post_comment, exercise):
    response = post_comment(exercise)
    assert "comment_author" not in response.cookies


def test_the_reply_page_shows_the_comment_being_answered_and_a_form_for_it(client, exercise):
    parent = CommentFactory(on=exercise, text="Is a carpet soft enough?")
    response = client.get(reverse("comments:reply", args=[parent.pk]))
    html = response.content.decode()
    assert "Is a carpet soft enough?" in html
    assert f'name="parent" value="{parent.pk}"' in html
    assert 'href="/exercises/knee-walking/"' in html


def test_the_reply_page_of_a_held_comment_is_not_found(client, exercise):
    held = CommentFactory(on=exercise, pending=True)
    assert client.get(reverse("comments:reply", args=[held.pk])).status_code == 404
