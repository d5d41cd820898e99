"""A member of staff's session ends after an idle period; a reader's does not."""

import pytest
from django.contrib.auth import get_user_model

from accounts import staff_sessions

pytestmark = pytest.mark.django_db

HOUR = 3600


class Clock:
    """The middleware's clock, moved by the test instead of sleeping."""

    def __init__(self, monkeypatch) -> None:
        self.seconds = 1_800_000_000.0
        monkeypatch.setattr(staff_sessions, "now", lambda: self.seconds)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def test_a_member_of_staff_idle_longer_than_the_setting_is_sent_to_sign_in_again(editor_client, clock):
    assert editor_client.get("/admin/").status_code == 200
    clock.advance(2 * HOUR + 1)

    response = editor_client.get("/admin/comments/comment/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/comments/comment/"
    page = editor_client.get(response["Location"]).content.decode()
    assert "You have been signed out because you had not used the site for a while." in page
    assert editor_client.get("/admin/").status_code == 302


def test_a_member_of_staff_working_steadily_stays_signed_in(editor_client, clock):
    for _ in range(6):
        clock.advance(HOUR)
        assert editor_client.get("/admin/").status_code == 200


def test_the_idle_period_comes_from_the_setting(editor_client, clock, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 15 * 60
    editor_client.get("/admin/")
    clock.advance(16 * 60)
    assert editor_client.get("/admin/").status_code == 302


def test_a_welsh_member_of_staff_is_told_in_welsh(editor_client, clock):
    editor_client.get("/cy/")
    clock.advance(3 * HOUR)
    response = editor_client.get("/cy/exercises/")
    assert response["Location"].startswith("/cy/accounts/login/")
    page = editor_client.get(response["Location"]).content.decode()
    assert "Rydych chi wedi cael eich allgofnodi" in page


def test_a_readers_session_is_not_ended_by_the_staff_idle_period(client, clock):
    reader = get_user_model().objects.create_user("reader", email="reader@example.org", password="pw")
    client.force_login(reader)
    client.get("/accounts/email/")
    clock.advance(3 * 24 * HOUR)
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    assert response.wsgi_request.user == reader
