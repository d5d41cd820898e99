"""A comment or enquiry posted while the database is unreachable: a clear "send again" page,
every word kept, nothing half-saved."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from classes.models import Enquiry
from comments.models import Comment
from tests.classes.factories import TeacherFactory
from tests.comments.conftest import comment_data
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

TEXT = "Knee walking <b>really</b> helped — thank you & see you Tuesday."


@pytest.fixture
def database_restarting(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Comment, "save", refuse)
    monkeypatch.setattr(Enquiry, "save", refuse)


def test_a_comment_posted_while_the_database_restarts_gets_a_retry_page_with_its_text(database_restarting):
    exercise = ExerciseFactory()
    data = comment_data(exercise, text=TEXT)
    response = Client().post(
        reverse("comments:post"),
        data,
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "nothing was saved yet" in html
    assert "Knee walking &lt;b&gt;really&lt;/b&gt; helped — thank you &amp; see you Tuesday." in html
    assert f'action="{reverse("comments:post")}"' in html
    assert f'name="token" value="{data["token"]}"' in html
    assert 'id="retry-name" name="name" value="Gwen"' in html


def test_sending_the_retry_page_again_saves_the_comment_once_the_database_is_back(monkeypatch):
    exercise = ExerciseFactory()
    data = comment_data(exercise, text=TEXT)
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    original = Comment.save
    monkeypatch.setattr(
        Comment,
        "save",
        lambda *a, **k: (_ for _ in ()).throw(OperationalError("the database system is starting up")),
    )
    assert Client().post(reverse("comments:post"), data, headers=headers).status_code == 503
    monkeypatch.setattr(Comment, "save", original)
    assert Client().post(reverse("comments:post"), data, headers=headers).status_code == 302
    assert Comment.objects.get().text == TEXT


def test_an_enquiry_sent_while_the_database_restarts_keeps_its_message(database_restarting):
    teacher = TeacherFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("classes:enquiry", args=[teacher.slug])
    token = client.get(url).context["csrf_token"]
    response = client.post(
        url,
        {"name": "Ann", "email": "ann@example.org", "message": TEXT, "csrfmiddlewaretoken": token},
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert "see you Tuesday" in html
    assert f'name="csrfmiddlewaretoken" value="{token}"' in html


def test_a_comment_saved_just_before_the_database_went_away_is_not_answered_with_an_error(monkeypatch):
    """The session (which shows posters their own held comment) is saved last; losing it is no error."""
    from django.contrib.sessions.backends.db import SessionStore

    def refuse(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "save", refuse)
    exercise = ExerciseFactory()
    response = Client().post(
        reverse("comments:post"),
        comment_data(exercise, text=TEXT),
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().text == TEXT


SECRET = "Sup3r-Secret-Passw0rd"


@pytest.fixture
def database_restarting_at_sign_in(monkeypatch):
    from django.contrib.auth.backends import ModelBackend

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ModelBackend, "authenticate", refuse)


@pytest.mark.parametrize("login_page", ["/accounts/login/?next=/admin/", "/cy/accounts/login/"])
def test_a_password_typed_while_the_database_restarts_is_never_written_into_the_retry_page(
    database_restarting_at_sign_in, login_page
):
    response = Client().post(login_page, {"login": "editor", "password": SECRET, "remember": "on"})
    html = response.content.decode()
    assert response.status_code == 503
    assert SECRET not in html
    assert 'name="password"' not in html
    assert 'name="login"' not in html
    assert f'href="{login_page}"' in html


def test_the_welsh_sign_in_retry_page_is_in_welsh(database_restarting_at_sign_in):
    response = Client().post("/cy/accounts/login/", {"login": "editor", "password": SECRET})
    html = response.content.decode()
    assert "Agor y dudalen eto" in html
    assert "Open the page again" not in html
    assert '<html lang="cy">' in html


def test_a_secret_looking_field_posted_with_a_comment_is_dropped_and_the_comment_kept(database_restarting):
    exercise = ExerciseFactory()
    data = comment_data(exercise, text=TEXT) | {"password": SECRET, "otp_code": "123456", "api_key": "k-1"}
    response = Client().post(
        reverse("comments:post"),
        data,
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert SECRET not in html
    assert "123456" not in html
    assert "k-1" not in html
    assert "see you Tuesday" in html
    assert f'name="token" value="{data["token"]}"' in html


def test_a_welsh_comment_posted_while_the_database_restarts_gets_a_page_in_welsh_that_leads_home_in_welsh(
    database_restarting,
):
    exercise = ExerciseFactory()
    response = Client().post(
        "/cy/comments/post/",
        comment_data(exercise, text=TEXT),
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="cy">' in html
    assert "Anfon eto" in html
    assert '<a class="site-brand" href="/cy/">' in html
