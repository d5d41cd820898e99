"""A reader fixes their own comment in a real phone-sized browser, with and without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, CommentEvent
from tests.factories import ExerciseFactory


@pytest.fixture
def exercise(transactional_db):
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


def post_comment(page, text: str) -> Comment:
    page.goto("/exercises/knee-walking/")
    page.get_by_role("textbox", name="Comment").fill(text)
    page.get_by_role("textbox", name="Name").fill("Gwen")
    page.get_by_role("textbox", name="E-mail").fill("gwen@example.org")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**/exercises/knee-walking/#comment-*")
    return Comment.objects.get()


@pytest.mark.parametrize("javascript_enabled", [True, False])
def test_a_reader_fixes_a_typo_in_their_comment(page, exercise, axe, javascript_enabled):
    """axe runs only with JavaScript on (it is a script); the pages are the same without."""
    audit = axe if javascript_enabled else lambda _page: None
    comment = post_comment(page, "Does this help wiht sciatica?")
    mine = page.locator(f"#comment-{comment.pk}")
    mine.get_by_role("link", name="Edit your comment").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Edit your comment"
    box = page.get_by_role("textbox", name="Your comment")
    assert box.input_value() == "Does this help wiht sciatica?"
    audit(page)

    box.fill("")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("alert").filter(has_text="an empty comment cannot be saved").is_visible()
    audit(page)

    page.get_by_role("textbox", name="Your comment").fill("Does this help with sciatica?")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/exercises/knee-walking/#comment-{comment.pk}")

    mine = page.locator(f"#comment-{comment.pk}")
    assert mine.locator(".comment__text").inner_text() == "Does this help with sciatica?"
    assert mine.get_by_text("edited", exact=True).is_visible()
    assert CommentEvent.objects.filter(comment=comment, kind=CommentEvent.Kind.EDITED).exists()
    audit(page)


def test_after_15_minutes_the_link_is_gone_and_an_old_edit_page_refuses_kindly(page, exercise, axe):
    comment = post_comment(page, "Does this help wiht sciatica?")
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").click()
    page.get_by_role("textbox", name="Your comment").fill("Does this help with sciatica?")
    Comment.objects.filter(pk=comment.pk).update(submitted_at=timezone.now() - timedelta(minutes=16))
    page.get_by_role("button", name="Save changes").click()

    assert page.get_by_role("heading", level=1).inner_text() == "This comment cannot be edited"
    assert page.get_by_role("textbox", name="Your text").input_value() == "Does this help with sciatica?"
    axe(page)
    page.goto("/exercises/knee-walking/")
    assert page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").count() == 0
