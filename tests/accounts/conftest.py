"""What the sign-in tests share: the staff login, a fake provider and the steps of signing in."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse

LOGIN = "/accounts/login/"
PASSWORD = "gentle-back-demo"


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("ed", "ed@backcare.example.org", PASSWORD)


def log_in(client, login: str, password: str, *, ip: str = "192.0.2.1", next_url: str = "/admin/"):
    return client.post(f"{LOGIN}?next={next_url}", {"login": login, "password": password}, REMOTE_ADDR=ip)


def errors(response) -> str:
    """The messages in the page's error summary (templates/includes/error_summary.html)."""
    summaries = re.findall(r'class="error-summary[^"]*".*?<ul>(.*?)</ul>', response.content.decode(), re.S)
    items = [item for summary in summaries for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    return " ".join(re.sub(r"<[^>]+>", "", item).strip() for item in items)


class FakeProvider:
    """Facebook's token and profile answers, as a requests session would return them."""

    def __init__(self, profile: dict) -> None:
        self.profile = profile
        self.requests: list[str] = []

    def session(self):
        fake = self

        class Session(requests.Session):
            def request(self, method, url, **kwargs):
                fake.requests.append(url)
                if "access_token" in url:
                    return fake.response(
                        {"access_token": "fake-token", "token_type": "bearer", "expires_in": 3600}
                    )
                if url.endswith("/me"):
                    return fake.response(fake.profile)
                raise AssertionError(f"Unexpected request to {url}")

        return Session()

    @staticmethod
    def response(data: dict) -> requests.Response:
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(data).encode()
        return response


@pytest.fixture
def facebook(monkeypatch):
    """Facebook switched on the way an owner does it (a Social application in the admin), with its
    servers replaced by ``FakeProvider``."""
    SocialApp.objects.create(provider="facebook", name="Facebook", client_id="app-id", secret="app-secret")
    fake = FakeProvider(
        {
            "id": "10001",
            "name": "Gwen Evans",
            "first_name": "Gwen",
            "last_name": "Evans",
            "email": "gwen@example.org",
        }
    )
    monkeypatch.setattr(DefaultSocialAccountAdapter, "get_requests_session", lambda self: fake.session())
    return fake


def sign_in_with_facebook(client, next_url: str):
    start = client.post(reverse("facebook_login") + f"?process=login&next={next_url}")
    assert start.status_code == 302
    assert start["Location"].startswith("https://www.facebook.com/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    return client.get(reverse("facebook_callback"), {"code": "fake-code", "state": state})
