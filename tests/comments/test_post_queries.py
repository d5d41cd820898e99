"""What an accepted comment POST costs the database: a fixed number of queries, each narrow.

The query-count budget of the post (docs/performance.md, "The server budgets"). The spam
check is not among them: it runs on the task worker (``comments/tasks.py``), enqueued on
commit (one more insert, which a test's transaction never reaches).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment

from .conftest import comment_data

pytestmark = pytest.mark.django_db

# The exercise, comments open, the duplicate check, the flood check's database side (this
# address, this e-mail: two counts), the editors' warning signs, the staff names, the comment
# and its audit row, and the savepoint around the last three.
POST_QUERIES = 11


def post(client, exercise, **overrides):
    return client.post(
        reverse("comments:post"),
        comment_data(exercise, **overrides),
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )


def test_an_accepted_post_takes_a_fixed_number_of_queries(client, exercise, django_assert_num_queries):
    ContentType.objects.get_for_model(exercise)  # the content-type cache, as in a warm process
    with django_assert_num_queries(POST_QUERIES):
        response = post(client, exercise)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_the_duplicate_check_of_a_new_post_reads_only_an_id(client, exercise):
    """Building the query for a whole comment (some thirty columns) cost more CPU than the rest
    of the check, for a post that is nearly always new."""
    with CaptureQueriesContext(connection) as queries:
        assert post(client, exercise).status_code == 302
    duplicate_checks = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and '"comments_comment"."text" =' in query["sql"]
    ]
    assert len(duplicate_checks) == 1
    columns = duplicate_checks[0].split(" FROM ")[0]
    assert columns in ('SELECT "comments_comment"."id"', 'SELECT "comments_comment"."id" AS "pk"')


def test_a_repeated_post_is_still_found_and_refused(client, exercise, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post(client, exercise).status_code == 302
    response = post(client, exercise)
    assert response.status_code == 200
    assert "You have already sent this comment" in response.content.decode()
    assert Comment.objects.count() == 1
