"""The comments under a page cost the same number of queries however many there are."""

import pytest
from django.contrib.contenttypes.models import ContentType

from comments.models import Comment

from .factories import CommentFactory, reply_to

pytestmark = pytest.mark.django_db

# The exercise page's own queries (exercise + steps, the handouts it is in), the
# upcoming-courses tag (none here), plus the comments tag: top-level count,
# top-level page, replies, and whether comments are closed.
EXERCISE_PAGE_QUERIES = 8


def add_threads(exercise, count: int) -> None:
    """``count`` comments as threads: a top-level comment with a reply and a reply to that."""
    for _ in range(count // 3):
        top = CommentFactory(on=exercise)
        reply_to(reply_to(top))
    for _ in range(count % 3):
        CommentFactory(on=exercise)


def page_queries(client, exercise, django_assert_num_queries, count: int) -> None:
    ContentType.objects.get_for_model(exercise)  # the content-type cache, as in a warm process
    with django_assert_num_queries(count):
        response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200


def test_an_exercise_page_with_ten_comments_takes_a_fixed_number_of_queries(
    client, exercise, django_assert_num_queries
):
    add_threads(exercise, 10)
    page_queries(client, exercise, django_assert_num_queries, EXERCISE_PAGE_QUERIES)


def test_an_exercise_page_with_two_hundred_comments_takes_the_same_number(
    client, exercise, django_assert_num_queries
):
    add_threads(exercise, 200)
    assert Comment.objects.count() == 200
    page_queries(client, exercise, django_assert_num_queries, EXERCISE_PAGE_QUERIES)


def test_two_hundred_comments_are_paginated_past_fifty_threads(client, exercise):
    add_threads(exercise, 200)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert html.count('class="comment"') == 150  # 50 threads of 3
    assert "?comments_page=2#comments" in html


def test_the_second_page_of_comments_shows_the_rest(client, exercise):
    add_threads(exercise, 200)
    html = client.get(exercise.get_absolute_url() + "?comments_page=2").content.decode()
    assert html.count('class="comment"') == 16 * 3 + 2  # 16 threads of 3 and the 2 single comments
