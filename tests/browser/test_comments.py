"""Readers commenting and replying in a real browser, and the editor's moderation queue."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from comments.models import Comment
from tests.browser.sign_in import sign_in
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory

# The live server's request threads open their own SQLite connections for
# session and login queries and the test harness never closes them; Python
# then reports them unclosed at garbage collection, in whichever test is
# running. It happens with the admin login alone, without any comments code,
# so it is ignored here, for that one message only.


@pytest.fixture
def exercise(transactional_db):
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


def fill_comment(page, text: str) -> None:
    page.get_by_role("textbox", name="Comment").fill(text)
    page.get_by_role("textbox", name="Name").fill("Gwen")
    page.get_by_role("textbox", name="E-mail").fill("gwen@example.org")


def test_reader_posts_a_comment_and_sees_it_awaiting_approval(page, exercise, axe):
    page.goto(exercise.get_absolute_url())
    axe(page)
    fill_comment(page, "Does this help with sciatica?")
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get()
    assert page.url.endswith(f"/exercises/knee-walking/#comment-{comment.pk}")
    status = page.get_by_role("status").filter(has_text="awaiting approval")
    assert status.is_visible()
    assert page.locator(f"#comment-{comment.pk}").get_by_text("Does this help with sciatica?").is_visible()
    axe(page)


def test_reader_replies_to_an_approved_comment(page, exercise, axe):
    parent = CommentFactory(on=exercise, name="Lesley", text="Keep the movement tiny.")
    page.goto(exercise.get_absolute_url())
    page.get_by_role("link", name="Reply to Lesley").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Reply to Lesley"
    assert page.get_by_text("Keep the movement tiny.").is_visible()
    axe(page)
    fill_comment(page, "Thank you, that helped.")
    page.get_by_role("button", name="Post comment").click()

    reply = Comment.objects.get(parent=parent)
    assert page.url.endswith(f"#comment-{reply.pk}")
    thread = page.locator(f"#comment-{parent.pk}")
    assert thread.locator(f"#comment-{reply.pk}").get_by_text("Thank you, that helped.").is_visible()


def test_keyboard_user_submits_an_invalid_form_and_lands_on_the_error_summary(page, exercise, axe):
    page.goto(exercise.get_absolute_url())
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_text":
            break
    page.keyboard.type("I forgot my name and e-mail.")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "submit-id-submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/comments/post/")

    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_role("textbox", name="Comment").input_value() == "I forgot my name and e-mail."
    page.get_by_role("link", name="This field is required.").first.click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert Comment.objects.count() == 0
    axe(page)


def test_the_moderation_queue_is_accessible(page, exercise, axe, live_server):
    get_user_model().objects.create_user("ed", password="pw-for-tests", is_staff=True, is_superuser=True)
    CommentFactory(on=exercise, pending=True, text="Is a carpet soft enough?")
    CommentFactory(on=exercise, spam=True, text="cheap pills")
    sign_in(page, "ed", "pw-for-tests")
    page.goto(reverse("admin:comments_comment_changelist"))

    assert page.get_by_text("Is a carpet soft enough?").is_visible()
    assert page.get_by_text("Pending: 1").is_visible()
    axe(page)


def test_a_welsh_reader_comments_on_the_welsh_page_and_stays_on_it(page, exercise, axe):
    page.goto("/cy/exercises/knee-walking/")
    page.get_by_role("textbox", name="Sylw").fill("Ydy hyn yn helpu gyda chlunwst?")
    page.get_by_role("textbox", name="Enw").fill("Gwen")
    page.get_by_role("textbox", name="E-bost").fill("gwen@example.org")
    page.get_by_role("button", name="Anfon y sylw").click()

    comment = Comment.objects.get()
    assert comment.language == "cy"
    assert page.url.endswith(f"/cy/exercises/knee-walking/#comment-{comment.pk}")
    assert page.get_by_role("status").filter(has_text="aros i gael ei gymeradwyo").is_visible()
    text = page.locator(f"#comment-{comment.pk} .comment__text")
    assert text.get_attribute("lang") == "cy"
    assert text.inner_text() == "Ydy hyn yn helpu gyda chlunwst?"
    axe(page)


def test_a_comment_posted_while_the_database_restarts_is_kept_and_sent_again(
    page, exercise, axe, monkeypatch
):
    from django.db import OperationalError

    from comments import lifecycle

    receive = lifecycle.receive

    def restarting(*args, **kwargs):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(lifecycle, "receive", restarting)
    page.goto(exercise.get_absolute_url())
    fill_comment(page, "Does this help when sitting all day?")
    page.get_by_role("button", name="Post comment").click()

    assert page.get_by_role("heading", level=1).inner_text() == "We could not save that just now"
    assert page.get_by_role("textbox", name="Comment").input_value() == "Does this help when sitting all day?"
    axe(page)
    monkeypatch.setattr(lifecycle, "receive", receive)
    page.get_by_role("button", name="Send again").click()

    assert Comment.objects.get().text == "Does this help when sitting all day?"
