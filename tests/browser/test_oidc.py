"""Signing in through a real OpenID Connect provider from a comment form, in both languages.

The provider is the npm package ``oidc-provider`` on 127.0.0.1 (``tests/oidc_provider.py``),
configured in allauth the way an editor would in the admin: a "Social application" row with
the provider "OpenID Connect", a provider ID and ``{"server_url": ...}``. Everything allauth
does is real: discovery, the POST that starts the sign-in, the redirect with state and PKCE,
the provider's own sign-in page, the code exchange with the client secret, the ID token and
userinfo, the new reader account, and the way back to the page the reader came from.
"""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from playwright.sync_api import Error as PlaywrightError

from comments.models import Comment
from tests.factories import ExerciseFactory
from tests.oidc_provider import Account, OIDCProvider

PROVIDER_ID = "exampleid"
PROVIDER_NAME = "Example ID"
CLIENT_ID = "backcare-comments"
# Made up for the test: it must reach the provider from the server and never the reader's browser.
CLIENT_SECRET = "oidc-test-secret-5f1c2e9a7b3d4c6e8a0f"
READER = Account(
    sub="reader-0042",
    email="gwen.morgan@example.org",
    password="provider-password-for-tests",
    given_name="Gwen",
    family_name="Morgan",
)


@pytest.fixture
def exercise(transactional_db):
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


@pytest.fixture
def provider_options() -> dict[str, bool]:
    """Override with ``@pytest.mark.parametrize("provider_options", [{...}])`` (``OIDCProvider``'s options)."""
    return {}


@pytest.fixture
def oidc_provider(live_server, provider_options) -> Iterator[OIDCProvider]:
    """The provider runs for one test, on a port the system picks, and knows the site's two callbacks."""
    callbacks = [
        f"{live_server.url}{prefix}/accounts/oidc/{PROVIDER_ID}/login/callback/" for prefix in ("", "/cy")
    ]
    provider = OIDCProvider(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=callbacks,
        account=READER,
        **provider_options,
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def social_app(oidc_provider, transactional_db) -> SocialApp:
    """What an editor adds under "Social applications" (README, "Sign-in providers")."""
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=PROVIDER_NAME,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": oidc_provider.issuer},
    )


class Traffic:
    """Every request the browser makes, with what came back: where it went, how, and the body."""

    def __init__(self, page) -> None:
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[tuple[str, str]] = []
        page.on("request", lambda request: self.requests.append((request.method, request.url)))
        page.on("response", self._keep_body)

    def _keep_body(self, response) -> None:
        if 300 <= response.status < 400:
            return
        try:
            self.bodies.append((response.url, response.text()))
        except PlaywrightError:  # a body the browser has already let go of
            return

    def origins(self) -> set[str]:
        return {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for _, url in self.requests}


def sign_in_from_comment_form(page, *, sign_in_link: str, continue_button: str) -> None:
    """From the comment form: the "sign in" link, the provider's button, allauth's POST, the provider's page."""
    page.locator(".comment-signin").get_by_role("link", name=sign_in_link).click()
    page.get_by_role("link", name=PROVIDER_NAME).click()
    page.get_by_role("button", name=continue_button).click()
    page.get_by_label("E-mail address").fill(READER.email)
    page.get_by_label("Password").fill(READER.password)
    page.get_by_role("button", name="Sign in to Example ID").click()


def assert_signed_in_on(page, path: str, *, commenting_as: str) -> None:
    page.wait_for_url(f"**{path}#comment-form")
    form_area = page.locator("#comments")
    assert form_area.get_by_text(f"{commenting_as} {READER.name}").is_visible()
    assert page.locator("#id_name").input_value() == READER.name
    assert page.locator("#id_email").input_value() == READER.email


def test_an_english_reader_signs_in_with_the_provider_and_comments_as_themselves(
    page, live_server, exercise, social_app, oidc_provider, axe
):
    traffic = Traffic(page)
    page.goto("/exercises/knee-walking/")
    sign_in_from_comment_form(page, sign_in_link="sign in", continue_button="Continue")

    assert_signed_in_on(page, "/exercises/knee-walking/", commenting_as="Commenting as")
    reader = get_user_model().objects.get(email=READER.email)
    assert SocialAccount.objects.get(user=reader).uid == READER.sub
    assert not reader.is_staff
    axe(page)

    page.get_by_role("textbox", name="Comment").fill("Is it fine on a hard floor?")
    page.get_by_role("button", name="Post comment").click()
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (reader, READER.name, READER.email)
    assert page.url.endswith(f"/exercises/knee-walking/#comment-{comment.pk}")

    # The sign-in started with a POST to allauth (never a GET: SOCIALACCOUNT_LOGIN_ON_GET is off) ...
    login_path = f"/accounts/oidc/{PROVIDER_ID}/login/"
    assert [m for m, url in traffic.requests if urlsplit(url).path == login_path] == ["GET", "POST"]
    # ... and the browser talked to nothing but the site and the provider, both on this machine.
    assert traffic.origins() == {live_server.url, oidc_provider.issuer}


def test_a_welsh_reader_signs_in_and_comes_back_to_the_welsh_page(page, exercise, social_app, axe):
    traffic = Traffic(page)
    page.goto("/cy/exercises/knee-walking/")
    sign_in_from_comment_form(page, sign_in_link="fewngofnodi", continue_button="Parhau")

    assert_signed_in_on(page, "/cy/exercises/knee-walking/", commenting_as="Yn gadael sylw fel")
    assert urlsplit(page.url).path == "/cy/exercises/knee-walking/"
    callbacks = [url for _, url in traffic.requests if "/login/callback/" in url]
    assert callbacks
    assert all(urlsplit(url).path.startswith("/cy/accounts/oidc/") for url in callbacks)
    axe(page)

    page.get_by_role("textbox", name="Sylw").fill("Ydy hyn yn iawn ar lawr caled?")
    page.get_by_role("button", name="Anfon y sylw").click()
    comment = Comment.objects.get()
    assert comment.language == "cy"
    assert comment.user == get_user_model().objects.get(email=READER.email)


def test_the_client_secret_never_reaches_the_browser(page, exercise, social_app):
    traffic = Traffic(page)
    page.goto("/exercises/knee-walking/")
    sign_in_from_comment_form(page, sign_in_link="sign in", continue_button="Continue")
    assert_signed_in_on(page, "/exercises/knee-walking/", commenting_as="Commenting as")
    page.goto(f"/accounts/oidc/{PROVIDER_ID}/login/")  # allauth's own page about the provider

    assert len(traffic.bodies) >= 5
    for url, body in traffic.bodies:
        assert CLIENT_SECRET not in body, url
    for _, url in traffic.requests:
        assert CLIENT_SECRET not in url
    assert all(CLIENT_SECRET not in cookie["value"] for cookie in page.context.cookies())


def test_a_provider_that_is_down_gets_a_clear_message_and_the_form_still_works(
    page, exercise, social_app, oidc_provider, axe
):
    oidc_provider.stop()
    page.goto("/exercises/knee-walking/")
    page.locator(".comment-signin").get_by_role("link", name="sign in").click()
    page.get_by_role("link", name=PROVIDER_NAME).click()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/exercises/knee-walking/#comment-form")
    message = page.get_by_role("status").filter(has_text=f"{PROVIDER_NAME} did not answer")
    assert message.is_visible()
    assert "You can still comment without signing in" in message.inner_text()
    assert get_user_model().objects.count() == 0
    axe(page)

    page.get_by_role("textbox", name="Comment").fill("Does this help with sciatica?")
    page.get_by_role("textbox", name="Name").fill("Gwen")
    page.get_by_role("textbox", name="E-mail").fill("gwen@example.org")
    page.get_by_role("button", name="Post comment").click()
    comment = Comment.objects.get()
    assert comment.user is None
    assert page.get_by_role("status").filter(has_text="awaiting approval").is_visible()


def test_a_welsh_reader_is_told_in_welsh_when_the_provider_is_down(page, exercise, social_app, oidc_provider):
    oidc_provider.stop()
    page.goto("/cy/exercises/knee-walking/")
    page.locator(".comment-signin").get_by_role("link", name="fewngofnodi").click()
    page.get_by_role("link", name=PROVIDER_NAME).click()
    page.get_by_role("button", name="Parhau").click()

    page.wait_for_url("**/cy/exercises/knee-walking/#comment-form")
    assert page.get_by_role("status").filter(has_text=f"Nid atebodd {PROVIDER_NAME}").is_visible()


@pytest.mark.parametrize("provider_options", [{"token_endpoint_down": True}])
def test_a_provider_that_stops_answering_half_way_sends_the_reader_back_to_the_form(
    page, exercise, social_app, axe
):
    page.goto("/cy/exercises/knee-walking/")
    sign_in_from_comment_form(page, sign_in_link="fewngofnodi", continue_button="Parhau")

    page.wait_for_url("**/cy/exercises/knee-walking/#comment-form")
    assert page.get_by_role("status").filter(has_text=f"Nid atebodd {PROVIDER_NAME}").is_visible()
    assert get_user_model().objects.count() == 0
    assert page.locator(".comment-signin").is_visible()
    axe(page)
