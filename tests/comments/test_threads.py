"""comments/threads.py and the one answer to "can this be replied to?" (``Comment.reply_refusal``)."""

import pytest
from django.urls import reverse

from comments import threads
from comments.models import Comment, CommentSettings

from .factories import CommentFactory, reply_to

pytestmark = pytest.mark.django_db


def reply_links(html: str) -> int:
    return html.count('class="comment__reply"')


def close_comments(exercise) -> None:
    from django.contrib.contenttypes.models import ContentType

    CommentSettings.objects.create(
        content_type=ContentType.objects.get_for_model(exercise), object_id=str(exercise.pk), closed=True
    )


def test_replies_nest_under_their_parent_oldest_first(exercise):
    root = CommentFactory(on=exercise)
    second = reply_to(root, text="second")
    first = reply_to(root, text="first", submitted_at=second.submitted_at.replace(year=2020))
    built = threads.build(exercise)
    assert [child.comment.pk for child in built.nodes[0].children] == [first.pk, second.pk]


def test_a_hidden_comment_with_an_approved_reply_stays_as_a_removed_placeholder(client, exercise):
    root = CommentFactory(on=exercise, text="This was spam")
    reply_to(root, text="A kind answer")
    Comment.objects.filter(pk=root.pk).update(status=Comment.Status.SPAM)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "This comment has been removed." in html
    assert "This was spam" not in html
    assert "A kind answer" in html


def test_the_thread_offers_reply_links_only_above_the_depth_limit(client, exercise):
    first = CommentFactory(on=exercise)
    second = reply_to(first)
    reply_to(second)  # depth 3: the limit
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert reply_links(html) == 2
    assert reverse("comments:reply", args=[second.pk]) in html


def test_a_page_with_comments_closed_offers_no_reply_links(client, exercise):
    CommentFactory(on=exercise)
    close_comments(exercise)
    assert reply_links(client.get(exercise.get_absolute_url()).content.decode()) == 0


def test_the_reply_page_says_why_replies_are_closed_when_comments_are_closed(client, exercise):
    parent = CommentFactory(on=exercise)
    close_comments(exercise)
    html = client.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert "Comments are closed on this page." in html
    assert 'name="text"' not in html


def test_a_reply_posted_to_a_closed_page_is_refused_with_the_same_reason(post_comment, exercise):
    parent = CommentFactory(on=exercise)
    close_comments(exercise)
    response = post_comment(exercise, parent=str(parent.pk), text="A late reply I typed")
    assert "Comments are closed on this page." in response.content.decode()
    assert "A late reply I typed" in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_error_page_never_quotes_a_comment_that_is_not_published(post_comment, exercise):
    held = CommentFactory(on=exercise, pending=True, text="Private words awaiting approval")
    response = post_comment(exercise, parent=str(held.pk), text="My reply")
    html = response.content.decode()
    assert "The comment you are replying to is no longer on the page." in html
    assert "Private words awaiting approval" not in html


@pytest.mark.parametrize(
    ("status", "depth_reached", "comments_open", "expected"),
    [
        ("approved", False, True, ""),
        ("approved", True, True, "Replies to this comment are closed."),
        ("pending", False, True, "The comment you are replying to is no longer on the page."),
        ("approved", False, False, "Comments are closed on this page."),
    ],
)
def test_one_predicate_says_whether_and_why_not_a_comment_takes_replies(
    exercise, status, depth_reached, comments_open, expected
):
    comment = CommentFactory(on=exercise, status=status)
    if depth_reached:
        comment = reply_to(reply_to(comment))
    assert comment.reply_refusal(comments_open=comments_open) == expected
