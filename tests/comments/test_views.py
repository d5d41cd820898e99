"""comments/views.py: posts and reply pages answer only for pages the visitor may see."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import ExerciseFactory

from .conftest import comment_data
from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["draft", "scheduled"])
def unpublished(request):
    return ExerciseFactory(title="Not out yet", slug="not-out-yet", **{request.param: True})


def test_the_reply_page_of_an_unpublished_exercise_is_not_found(client, unpublished):
    parent = CommentFactory(on=unpublished, text="Seen by staff only")
    response = client.get(reverse("comments:reply", args=[parent.pk]))
    assert response.status_code == 404
    assert "Not out yet" not in response.content.decode()
    assert "Seen by staff only" not in response.content.decode()


def test_a_post_to_an_unpublished_exercise_is_not_found_and_saves_nothing(post_comment, unpublished):
    response = post_comment(unpublished)
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_a_reply_posted_to_an_unpublished_exercise_is_not_found(post_comment, unpublished):
    parent = CommentFactory(on=unpublished)
    assert post_comment(unpublished, parent=str(parent.pk)).status_code == 404
    assert Comment.objects.count() == 1


def test_staff_see_the_reply_page_of_an_unpublished_exercise_with_a_banner(editor_client, unpublished):
    parent = CommentFactory(on=unpublished)
    html = editor_client.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert "This page is not published: only staff can see it and reply here." in html
    assert 'name="text"' in html


def test_a_signed_in_member_of_staff_has_the_reply_form_filled_in_from_their_login(editor_client, exercise):
    parent = CommentFactory(on=exercise)
    response = editor_client.get(reverse("comments:reply", args=[parent.pk]))
    html = response.content.decode()
    assert 'value="ed@backcare.example.org"' in html
    assert "private" in response["Cache-Control"]


def test_a_signed_in_teacher_reply_is_published_at_once_with_its_badge(
    client, exercise, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    teacher = UserFactory(username="lesley", first_name="Lesley", is_staff=True)
    client.force_login(teacher)
    parent = CommentFactory(on=exercise)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:post"),
            comment_data(
                exercise, name="Lesley", email=teacher.email, parent=str(parent.pk), text="Keep it gentle."
            ),
            headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.badge) == ("approved", "teacher")
    client.logout()
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "Keep it gentle." in html
    assert '<span class="comment__badge">Teacher</span>' in html


def test_an_anonymous_post_writes_no_session_and_remembers_the_comment_in_a_signed_cookie(
    client, post_comment, exercise
):
    from django.contrib.sessions.models import Session

    from comments import tokens

    response = post_comment(exercise, text="Is a carpet soft enough?")
    assert response.status_code == 302
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies
    cookie = response.cookies["comments_mine"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert tokens.read_own_comments_cookie(cookie.value) == [Comment.objects.get().pk]
    assert "Is a carpet soft enough?" in client.get(exercise.get_absolute_url()).content.decode()


def test_a_forged_own_comments_cookie_shows_nobody_elses_held_comment(client, exercise):
    from comments import tokens

    from .factories import CommentFactory

    held = CommentFactory(on=exercise, pending=True, text="Someone else's words")
    client.cookies["comments_mine"] = tokens.own_comments_cookie_value([held.pk]) + "x"
    assert "Someone else's words" not in client.get(exercise.get_absolute_url()).content.decode()
    client.cookies["comments_mine"] = f"[{held.pk}]"
    assert "Someone else's words" not in client.get(exercise.get_absolute_url()).content.decode()


def test_the_cookie_keeps_only_the_posters_latest_comments(client, post_comment, exercise, settings):
    from comments import tokens

    settings.COMMENTS_FLOOD_SECONDS = 0
    for number in range(tokens.OWN_COMMENTS_KEPT + 2):
        post_comment(exercise, text=f"Question number {number}", email=f"q{number}@example.org")
    kept = tokens.read_own_comments_cookie(client.cookies["comments_mine"].value)
    assert len(kept) == tokens.OWN_COMMENTS_KEPT


def test_the_comment_form_on_a_welsh_page_explains_the_spam_check_in_welsh(client, exercise):
    page = client.get("/cy" + exercise.get_absolute_url()).content.decode()
    assert "Mae’r wefan hon yn defnyddio Akismet i leihau sbam." in page
    assert 'href="/cy/privacy/#comments"' in page
    assert "This site uses Akismet" not in page
    english = client.get(exercise.get_absolute_url()).content.decode()
    assert "This site uses Akismet to reduce spam." in english
    assert 'href="/privacy/#comments"' in english
