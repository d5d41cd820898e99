"""The provider sign-in page's policy and a provider that is down (accounts/provider_sign_in.py).

The browser tests (tests/browser/test_oidc.py) go through the whole flow; these pin
the pieces: which page may send a form to which origin, and where a reader goes
when the provider does not answer. The OpenID Connect server is the real one
(tests/oidc_provider.py), here without a browser.
"""

from collections.abc import Iterator

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.messages import get_messages

from tests.oidc_provider import Account, OIDCProvider

LOGIN = "/accounts/oidc/exampleid/login/"
NEXT = "/exercises/knee-walking/%23comment-form"


def form_action(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        if name == "form-action":
            return sources
    raise AssertionError("no form-action")


def script_src(response) -> str:
    return next(d.strip() for d in response["Content-Security-Policy"].split(";") if "script-src" in d)


@pytest.fixture
def oidc_provider() -> Iterator[OIDCProvider]:
    account = Account(
        sub="r1", email="gwen@example.org", password="pw", given_name="Gwen", family_name="Morgan"
    )
    provider = OIDCProvider(
        client_id="backcare",
        client_secret="oidc-unit-secret",
        redirect_uris=["http://testserver/accounts/oidc/exampleid/login/callback/"],
        account=account,
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def social_app(db, oidc_provider) -> SocialApp:
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="exampleid",
        name="Example ID",
        client_id="backcare",
        secret="oidc-unit-secret",
        settings={"server_url": oidc_provider.issuer},
    )


def test_the_provider_page_may_send_its_form_to_the_provider_and_nowhere_else(
    client, social_app, oidc_provider
):
    home = client.get("/")
    response = client.get(LOGIN, {"process": "login", "next": "/exercises/"})

    assert response.status_code == 200
    assert form_action(response) == ["'self'", oidc_provider.issuer]
    assert script_src(response) == script_src(home)  # still no inline scripts
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert form_action(home) == ["'self'"]
    assert form_action(client.get("/accounts/login/")) == ["'self'"]


def test_the_google_page_may_send_its_form_to_google(client, db):
    SocialApp.objects.create(provider="google", name="Google", client_id="g-id", secret="g-secret")

    assert form_action(client.get("/accounts/google/login/")) == ["'self'", "https://accounts.google.com"]


def test_a_provider_that_is_down_keeps_the_page_to_the_site(client, social_app, oidc_provider):
    oidc_provider.stop()

    assert form_action(client.get(LOGIN)) == ["'self'"]


def test_a_provider_that_is_down_sends_the_reader_back_with_a_message(client, social_app, oidc_provider):
    oidc_provider.stop()
    response = client.post(f"{LOGIN}?process=login&next={NEXT}")

    assert response.status_code == 302
    assert response["Location"] == "/exercises/knee-walking/#comment-form"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Example ID did not answer, so you are not signed in.")


def test_a_welsh_reader_is_told_in_welsh(client, social_app, oidc_provider):
    oidc_provider.stop()
    response = client.post(f"/cy{LOGIN}?process=login&next=/cy/exercises/")

    assert response["Location"] == "/cy/exercises/"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Nid atebodd Example ID, felly nid ydych wedi mewngofnodi.")


def test_a_next_address_elsewhere_is_not_followed(client, social_app, oidc_provider):
    oidc_provider.stop()
    response = client.post(f"{LOGIN}?process=login&next=https://elsewhere.example.org/")

    assert response["Location"] == "/accounts/login/"
