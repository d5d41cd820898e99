"""Editing your own comment for 15 minutes, from the browser that posted it (comments/views.py ``edit``)."""

from datetime import timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from comments import tokens
from comments.edits import EDITS_ALLOWED
from comments.models import Comment, CommentEvent
from tests.fake_akismet import LocalTransport, closed_port
from tests.pagecache.guard_helpers import FAILING, refuse_like_a_stopped_redis

from .factories import CommentFactory, events

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def browser_that_posted(*comments: Comment) -> Client:
    """A browser holding the signed own-comments cookie for these comments, as the post view sets it."""
    browser = Client()
    browser.cookies[tokens.OWN_COOKIE] = tokens.own_comments_cookie_value([c.pk for c in comments])
    return browser


def edit_url(comment: Comment, language: str = "en-gb") -> str:
    with translation.override(language):
        return reverse("comments:edit", args=[comment.pk])


@pytest.fixture
def mine(exercise):
    """A published comment, posted a minute ago by a returning commenter."""
    return CommentFactory(
        on=exercise,
        text="Does knee walking help wiht sciatica?",
        submitted_at=timezone.now() - timedelta(minutes=1),
    )


@pytest.fixture
def edit(django_capture_on_commit_callbacks):
    """POST an edit from ``browser``, running the check task on commit."""

    def send(browser: Client, comment: Comment, text: str, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(edit_url(comment), {"text": text}, headers=SAME_ORIGIN, **kwargs)

    return send


@pytest.fixture
def akismet_ham(akismet_via, fake_akismet):
    fake_akismet.ham()
    akismet_via(fake_akismet.transport())
    return fake_akismet


# --- The link ---------------------------------------------------------------------


def test_the_browser_that_posted_a_comment_sees_an_edit_link(mine, exercise):
    html = browser_that_posted(mine).get(exercise.get_absolute_url()).content.decode()
    assert f'href="{edit_url(mine)}"' in html
    assert "Edit your comment" in html


def test_another_browser_sees_no_edit_link(mine, exercise):
    html = Client().get(exercise.get_absolute_url()).content.decode()
    assert edit_url(mine) not in html
    assert "Edit your comment" not in html


def test_there_is_no_edit_link_after_15_minutes(exercise):
    old = CommentFactory(on=exercise, submitted_at=timezone.now() - timedelta(minutes=15, seconds=1))
    html = browser_that_posted(old).get(exercise.get_absolute_url()).content.decode()
    assert old.text in html
    assert edit_url(old) not in html


def test_the_page_with_an_edit_link_is_never_shared(mine, exercise):
    response = browser_that_posted(mine).get(exercise.get_absolute_url())
    assert "private" in response["Cache-Control"]


def test_the_edit_page_shows_the_text_and_a_csrf_protected_form_in_welsh(mine):
    response = browser_that_posted(mine).get(edit_url(mine, "cy"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Golygu eich sylw" in html
    assert "wiht sciatica" in html
    assert "csrfmiddlewaretoken" in html
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


# --- A saved edit ------------------------------------------------------------------


def test_an_edit_replaces_the_text_and_readers_see_edited(mine, exercise, akismet_ham, edit):
    response = edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{mine.pk}")
    html = Client().get(exercise.get_absolute_url()).content.decode()
    assert "help with sciatica?" in html
    assert "wiht" not in html
    assert 'class="comment__edited"' in html


def test_an_edit_is_checked_again_by_akismet_with_recheck_reason_edit(mine, akismet_ham, edit):
    edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    received = akismet_ham.last
    assert received.path == "/1.1/comment-check"
    assert received.fields["recheck_reason"] == "edit"
    assert received.fields["comment_content"] == "Does knee walking help with sciatica?"


def test_a_published_first_comment_stays_published_after_a_ham_edit(mine, akismet_ham, edit):
    """Its first text passed the first-comment rule; a typo fix does not send it back to moderation."""
    assert not Comment.objects.exclude(pk=mine.pk).filter(email=mine.email).exists()
    CommentEvent.objects.record(mine, CommentEvent.Kind.APPROVED, by="akismet")
    edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    mine.refresh_from_db()
    assert mine.status == Comment.Status.APPROVED


def test_an_edit_akismet_calls_spam_leaves_the_page(mine, exercise, akismet_via, fake_akismet, edit):
    fake_akismet.spam()
    akismet_via(fake_akismet.transport())
    edit(browser_that_posted(mine), mine, "Cheap pills at example.com")
    mine.refresh_from_db()
    assert mine.status == Comment.Status.SPAM
    assert "Cheap pills" not in Client().get(exercise.get_absolute_url()).content.decode()


def test_an_edit_is_recorded_in_the_history_with_the_text_it_replaced(mine, akismet_ham, edit):
    edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    assert events(mine)[:2] == [CommentEvent.Kind.EDITED, CommentEvent.Kind.RECHECKED]
    edited = mine.events.get(kind=CommentEvent.Kind.EDITED)
    assert edited.detail["previous_text"] == "Does knee walking help wiht sciatica?"
    assert edited.detail["previous_status"] == Comment.Status.APPROVED


def test_an_edit_that_describes_warning_signs_is_held_and_leads_to_urgent_advice(mine, akismet_ham, edit):
    response = edit(browser_that_posted(mine), mine, "Since this morning I have numbness in my saddle area")
    assert response["Location"].startswith(reverse("safety:help_now"))
    mine.refresh_from_db()
    assert mine.status == Comment.Status.PENDING
    assert "warning signs" in mine.held_reason
    assert CommentEvent.Kind.HELD in events(mine)


def test_an_edit_retires_the_cached_page(mine, exercise, akismet_ham, edit):
    reader = Client()
    assert "wiht" in reader.get(exercise.get_absolute_url()).content.decode()
    assert reader.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"
    edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    again = reader.get(exercise.get_absolute_url())
    assert "wiht" not in again.content.decode()
    assert "help with sciatica" in again.content.decode()


def test_an_unchanged_text_changes_nothing(mine, akismet_ham, edit):
    edit(browser_that_posted(mine), mine, mine.text)
    assert CommentEvent.Kind.EDITED not in events(mine)
    assert akismet_ham.received == []


def test_a_staff_comment_stays_published_without_a_check(exercise, editor, akismet_ham, edit):
    staff = CommentFactory(on=exercise, badge=Comment.Badge.BACKCARE, submitted_at=timezone.now())
    browser = browser_that_posted(staff)
    browser.force_login(editor)
    edit(browser, staff, "A better answer.")
    staff.refresh_from_db()
    assert (staff.status, staff.text) == (Comment.Status.APPROVED, "A better answer.")
    assert akismet_ham.received == []


# --- Refused ---------------------------------------------------------------------------


def test_an_edit_after_15_minutes_is_refused_and_keeps_what_was_typed(exercise, edit):
    old = CommentFactory(on=exercise, submitted_at=timezone.now() - timedelta(minutes=16))
    response = edit(browser_that_posted(old), old, "My better wording")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Comments can be edited for 15 minutes after posting" in html
    assert "My better wording" in html
    old.refresh_from_db()
    assert old.text != "My better wording"


def test_an_edit_from_another_browser_is_refused(mine, edit):
    response = edit(Client(), mine, "Someone else's words")
    assert response.status_code == 403
    assert "from the browser you posted it from" in response.content.decode()
    mine.refresh_from_db()
    assert mine.text == "Does knee walking help wiht sciatica?"


def test_a_forged_own_comments_cookie_is_refused(mine, edit):
    browser = Client()
    browser.cookies[tokens.OWN_COOKIE] = f"[{mine.pk}]"
    assert edit(browser, mine, "Forged").status_code == 403


def test_the_edit_page_is_refused_to_another_browser(mine):
    response = Client().get(edit_url(mine))
    assert response.status_code == 403


def test_a_comment_in_the_spam_folder_cannot_be_edited(exercise, edit):
    caught = CommentFactory(on=exercise, spam=True, submitted_at=timezone.now())
    response = edit(browser_that_posted(caught), caught, "Now honest")
    assert response.status_code == 403
    assert "can no longer be edited" in response.content.decode()


def test_edits_stop_after_the_allowed_number(mine, edit):
    browser = browser_that_posted(mine)
    for n in range(EDITS_ALLOWED):
        edit(browser, mine, f"Version {n}")
    response = edit(browser, mine, "One too many")
    assert response.status_code == 403
    assert "One too many" in response.content.decode()


def test_bad_input_shows_a_clear_error_and_keeps_the_text(mine, edit):
    response = edit(browser_that_posted(mine), mine, "Better words\x00 with a NUL")
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    assert "invisible control characters" in html
    assert "Better words" in html
    mine.refresh_from_db()
    assert "Better words" not in mine.text


def test_an_empty_edit_is_refused_with_a_message(mine, edit):
    response = edit(browser_that_posted(mine), mine, "   ")
    assert response.status_code == 400
    assert "an empty comment cannot be saved" in response.content.decode()


def test_the_edit_form_works_without_csrf_token_only_never(mine):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[tokens.OWN_COOKIE] = tokens.own_comments_cookie_value([mine.pk])
    response = browser.post(edit_url(mine), {"text": "No token"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.text != "No token"


# --- Faults never lose the edit -------------------------------------------------------


def test_akismet_down_keeps_the_edit_held_and_schedules_a_recheck(mine, akismet_via, fake_akismet, edit):
    akismet_via(LocalTransport(closed_port()))
    response = edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.text == "Does knee walking help with sciatica?"
    assert mine.status == Comment.Status.PENDING
    assert mine.next_check_at is not None
    assert CommentEvent.Kind.CHECK_FAILED in events(mine)


def test_the_cache_down_keeps_the_edit(mine, exercise, akismet_ham, edit, monkeypatch):
    for name in FAILING:
        monkeypatch.setattr(LocMemCache, name, refuse_like_a_stopped_redis)
    response = edit(browser_that_posted(mine), mine, "Does knee walking help with sciatica?")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.text == "Does knee walking help with sciatica?"
    assert mine.status == Comment.Status.APPROVED


def test_the_privacy_page_says_how_long_a_comment_can_be_edited_and_that_the_old_text_is_kept(client):
    english = client.get(reverse("privacy")).content.decode()
    with translation.override("cy"):
        welsh = client.get(reverse("privacy")).content.decode()
    assert "edit your comment for 15 minutes" in english
    assert "earlier text" in english
    assert "olygu eich sylw hyd at 15 munud" in welsh
