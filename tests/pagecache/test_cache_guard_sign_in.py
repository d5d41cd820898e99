"""With Redis down, signing in and up (allauth) still works and its failed-attempt limit still
holds; a page's Redis fault leaves the counters' Redis in use."""

import pytest
from django.test import Client
from django.urls import reverse

from pagecache.guard import guard
from tests.factories import ExerciseFactory
from tests.pagecache.guard_helpers import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    """A page with no steps: the cache-guard tests' own, not the folder's."""
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


# --- Signing in and up (allauth) ---------------------------------------------------

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def redis_refuses(fast_passwords, real_redis_client_settings) -> None:
    """Both Redis stores refuse connections, as when they are stopped; passwords hash fast."""
    real_redis_client_settings(closed_port())


def sign_in(client: Client, login: str, password: str) -> str:
    response = client.post(
        "/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code in (200, 302)
    return response.content.decode()


def test_wrong_passwords_are_still_refused_by_the_limit_while_redis_is_down(client, redis_refuses):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    answers = [sign_in(client, "gwen", f"guess-{n}") for n in range(6)]
    assert [LOCKED in answer for answer in answers] == [False] * 5 + [True]
    assert LOCKED in sign_in(client, "gwen", "right-password-123")
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_while_redis_is_down(client, redis_refuses):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    sign_in(client, "gwen", "right-password-123")
    assert client.session["_auth_user_id"]


def test_readers_sign_up_and_sign_in_with_an_emailed_code_while_redis_is_down(
    client, redis_refuses, mailoutbox
):
    import re

    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": "a-long-new-password-9"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("account_request_login_code"), {"email": "new@example.org"})
    assert response.status_code == 302
    code = re.search(r"browser window\.\s+(\S+)\s", mailoutbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_password_reset_is_sent_while_redis_is_down(client, redis_refuses, mailoutbox):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    response = client.post(reverse("account_reset_password"), {"email": "gwen@example.org"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["gwen@example.org"]


def test_a_page_redis_fault_leaves_the_counters_redis_in_use(client, exercise, settings):
    from pagecache.guard import counters_guard

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "pagecache.guard.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "unavailable"
    assert guard.is_open()
    assert not counters_guard.is_open()
