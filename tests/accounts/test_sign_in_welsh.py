"""Signing in in Welsh (/cy/accounts/, locale/allauth/cy): every sign-in page, message and e-mail
in Welsh, and back to the Welsh pages afterwards."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from tests.accounts.conftest import LOGIN, PASSWORD, errors
from tests.factories import ExerciseFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

WELSH_LOGIN = "/cy/accounts/login/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_welsh_sign_in_page_is_in_welsh_with_no_english_left(client):
    response = client.get(WELSH_LOGIN)
    assert response.status_code == 200
    assert response["Content-Language"] == "cy"
    html = response.content.decode()
    assert '<html lang="cy"' in html
    text = text_of(response)
    for welsh in ("Mewngofnodi", "Enw defnyddiwr neu gyfeiriad e-bost", "Cyfrinair", "Cofio fi"):
        assert welsh in text
    for english in ("Sign in", "Password", "Remember me", "Forgot your password?", "Send me a sign-in code"):
        assert english not in text
    assert 'href="/cy/accounts/password/reset/"' in html
    assert 'href="/cy/accounts/login/code/"' in html


def test_the_english_sign_in_page_stays_english_at_its_old_address(client):
    response = client.get(LOGIN)
    assert response["Content-Language"] == "en-GB"
    assert "Sign in" in text_of(response)
    assert "Mewngofnodi" not in text_of(response)


def test_the_sign_in_link_on_a_welsh_exercise_page_goes_to_the_welsh_sign_in_page_and_back(client):
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    html = client.get(f"/cy{exercise.get_absolute_url()}").content.decode()
    assert f"{WELSH_LOGIN}?next=/cy/exercises/knee-walking/%23comment-form" in html
    login = client.get(f"{WELSH_LOGIN}?next=/cy/exercises/knee-walking/%23comment-form").content.decode()
    assert 'value="/cy/exercises/knee-walking/#comment-form"' in login


def test_a_wrong_password_on_the_welsh_page_is_answered_in_welsh_keeping_the_username(client, staff):
    response = client.post(WELSH_LOGIN, {"login": "ed", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    assert "Nid yw’r enw defnyddiwr neu’r cyfeiriad e-bost, neu’r cyfrinair, yn gywir." in errors(response)
    assert 'value="ed"' in response.content.decode()


def test_signing_in_and_out_on_the_welsh_pages_without_a_next_address_lands_on_the_welsh_home_page(
    client, staff
):
    response = client.post(WELSH_LOGIN, {"login": "ed", "password": PASSWORD})
    assert response["Location"] == "/cy/"
    response = client.post("/cy/accounts/logout/")
    assert response["Location"] == "/cy/"
    assert "_auth_user_id" not in client.session


def test_signing_out_on_the_english_pages_still_lands_on_the_english_home_page(client, staff):
    client.force_login(staff)
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_the_sign_up_form_never_says_that_a_staff_username_exists(client, staff):
    """Readers sign up with an e-mail address only: no username field to try "ed" or "editor" in."""
    form = client.get("/accounts/signup/").content.decode()
    assert 'name="username"' not in form
    response = client.post(
        "/accounts/signup/",
        {"email": "reader@example.org", "username": "ed", "password1": "a-long-back-pass"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="reader@example.org").exclude(username="ed").exists()
    assert get_user_model().objects.get(username="ed").email == "ed@backcare.example.org"


def test_a_reader_who_signs_up_with_the_local_part_of_a_staff_login_gets_another_username(client, staff):
    response = client.post("/accounts/signup/", {"email": "ed@example.org", "password1": "a-long-back-pass"})
    assert response.status_code == 302
    reader = get_user_model().objects.get(email="ed@example.org")
    assert reader.username != "ed"
    assert not reader.is_staff


def test_the_welsh_sign_up_page_states_the_password_rules_in_welsh(client):
    text = text_of(client.get("/cy/accounts/signup/"))
    assert "Ni ddylai eich cyfrinair fod yn rhifau i gyd." in text
    assert "Rhaid i’ch cyfrinair gynnwys o leiaf 8 nod." in text
    assert "Your password" not in text


def test_a_too_short_password_on_the_welsh_sign_up_page_is_refused_in_welsh_keeping_the_rest(client):
    response = client.post("/cy/accounts/signup/", {"email": "gwen@example.org", "password1": "12345"})
    assert response.status_code == 200
    message = errors(response)
    assert "Mae’r cyfrinair hwn yn rhy fyr. Rhaid iddo gynnwys o leiaf 8 nod." in message
    assert "Mae’r cyfrinair hwn yn rhifau i gyd." in message
    html = response.content.decode()
    assert 'value="gwen@example.org"' in html


def test_a_reader_signs_in_by_welsh_e_mail_code_and_returns_to_the_welsh_page(client, mailoutbox):
    UserFactory(username="gwen", email="gwen@example.org")
    next_url = "/cy/exercises/knee-walking/"
    response = client.post(f"/cy/accounts/login/code/?next={next_url}", {"email": "gwen@example.org"})
    assert response["Location"].startswith("/cy/accounts/login/code/confirm/")
    email = mailoutbox[0]
    assert email.subject == "[BackCare] Cod mewngofnodi"
    assert "Mae eich cod mewngofnodi isod." in email.body
    assert "sign-in code" not in email.body
    entry = client.get(response["Location"])
    assert "Rhowch y cod mewngofnodi" in text_of(entry)
    assert "Enter Sign-In Code" not in text_of(entry)
    code = re.search(r"sydd ar agor gennych\.\s+(\S+)\s", email.body).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response["Location"] == next_url
    assert client.session["_auth_user_id"]


def test_a_password_reset_asked_for_in_welsh_sends_a_welsh_e_mail_with_a_welsh_link(
    client, staff, mailoutbox
):
    response = client.post("/cy/accounts/password/reset/", {"email": "ed@backcare.example.org"})
    assert response["Location"] == "/cy/accounts/password/reset/done/"
    email = mailoutbox[0]
    assert email.subject == "[BackCare] E-bost ailosod cyfrinair"
    assert "Cliciwch y ddolen isod i ailosod eich cyfrinair." in email.body
    link = re.search(r"https?://[^/\s]+(/\S+)", email.body).group(1)
    assert link.startswith("/cy/accounts/password/reset/key/")
    page = client.get(link, follow=True)
    assert "Gosod cyfrinair" in text_of(page) or "Newid cyfrinair" in text_of(page)


def test_staff_signing_in_on_the_welsh_page_are_asked_for_their_code_in_welsh(client, staff):
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.post(f"{WELSH_LOGIN}?next=/admin/", {"login": "ed", "password": PASSWORD})
    assert response["Location"] == "/cy/accounts/2fa/authenticate/"
    page = client.get(response["Location"])
    text = text_of(page)
    assert "Mae eich cyfrif wedi’i ddiogelu gan ddilysu dau ffactor." in text
    assert "Defnyddio allwedd ddiogelwch" in text
    assert re.search(r'<input[^>]*placeholder="Cod"', page.content.decode())
    assert "two-factor" not in text
    assert "Use a security key" not in text


def test_the_welsh_second_factor_pages_of_signed_in_staff_are_in_welsh(client, staff):
    client.force_login(staff)
    text = text_of(client.get("/cy/accounts/2fa/"))
    assert "Dilysu dau ffactor" in text
    assert "Ap dilysu" in text
    assert "Codau adfer" in text
    assert "Authenticator App" not in text


def test_a_provider_sign_in_started_on_a_welsh_page_comes_back_to_the_welsh_addresses(client, facebook):
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    welsh_page = f"/cy{exercise.get_absolute_url()}"
    confirm = client.get(f"/cy/accounts/facebook/login/?process=login&next={welsh_page}")
    assert "Rydych ar fin mewngofnodi gyda’ch cyfrif Facebook." in text_of(confirm)
    start = client.post(f"/cy/accounts/facebook/login/?process=login&next={welsh_page}")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["redirect_uri"] == ["http://testserver/cy/accounts/facebook/login/callback/"]
    finished = client.get(
        "/cy/accounts/facebook/login/callback/", {"code": "fake-code", "state": query["state"][0]}
    )
    assert finished["Location"] == welsh_page


def test_a_failed_provider_sign_in_on_the_welsh_pages_is_explained_in_welsh(client, facebook):
    client.post("/cy/accounts/facebook/login/?process=login")
    response = client.get("/cy/accounts/facebook/login/callback/", {"code": "fake-code", "state": "forged"})
    assert response.status_code == 401
    assert "Methodd mewngofnodi drwy drydydd parti" in text_of(response)


def test_the_welsh_sign_in_pages_are_never_stored_in_the_page_cache(client):
    for _ in range(2):
        response = client.get(WELSH_LOGIN)
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_search_engines_are_asked_to_skip_the_welsh_sign_in_pages_too(client):
    assert "Disallow: /cy/accounts/" in client.get("/robots.txt").content.decode().splitlines()
