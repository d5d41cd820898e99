"""Sign-in (accounts/sign_in.py): the staff door with lockout and second factors, and optional
sign-in for commenters through a provider (mocked: no network) or an e-mail code."""

import json
import logging
import re
from urllib.parse import parse_qs, urlsplit

import akismet
import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from akismet_service import api
from comments.models import Comment
from tests.comments.conftest import comment_data
from tests.factories import ExerciseFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

LOGIN = "/accounts/login/"
PASSWORD = "gentle-back-demo"
LOCKED = "Too many failed sign-in attempts"
WRONG = "The username or e-mail address, or the password, is not right."


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("ed", "ed@backcare.example.org", PASSWORD)


def log_in(client, login: str, password: str, *, ip: str = "192.0.2.1", next_url: str = "/admin/"):
    return client.post(f"{LOGIN}?next={next_url}", {"login": login, "password": password}, REMOTE_ADDR=ip)


def errors(response) -> str:
    lists = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found).strip() for found in lists)


# --- The staff door -----------------------------------------------------------


def test_the_admin_login_hands_over_to_the_sign_in_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_staff_sign_in_with_username_and_password_and_reach_the_admin(client, staff):
    response = log_in(client, "ed", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_force_login_still_opens_the_admin_for_tests(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_after_ten_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(client, staff):
    answers = [errors(log_in(client, "ed", f"guess-{n}")) for n in range(10)]
    assert answers[:5] == [WRONG] * 5
    assert all(LOCKED in answer for answer in answers[5:])
    response = log_in(client, "ed", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in errors(response)
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_lock_that_account_from_that_address(client, staff):
    for n in range(5):
        log_in(client, "ed", f"guess-{n}", ip="192.0.2.1")
    response = log_in(client, "ed", PASSWORD, ip="192.0.2.1")
    assert LOCKED in errors(response)
    assert "a code sent to your e-mail address" in errors(response)
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_from_five_other_addresses_do_not_keep_staff_out(client, staff):
    for n in range(5):
        for guess in range(5):
            log_in(client, "ed", f"guess-{guess}", ip=f"198.51.100.{n + 1}")
    response = log_in(client, "ed", PASSWORD, ip="192.0.2.1")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_locked_out_account_can_still_sign_in_with_a_code_sent_by_email(client, staff, mailoutbox):
    for n in range(5):
        log_in(client, "ed", f"guess-{n}", ip="192.0.2.1")
    response = client.post(
        reverse("account_request_login_code"), {"email": "ed@backcare.example.org"}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 302
    code = re.search(r"browser window\.\s+(\S+)\s", mailoutbox[0].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_lockout_is_per_address_across_many_accounts(client, staff):
    for n in range(20):
        log_in(client, f"someone-{n}", "guess", ip="203.0.113.9")
    assert LOCKED in errors(log_in(client, "ed", PASSWORD, ip="203.0.113.9"))
    assert log_in(client, "ed", PASSWORD, ip="192.0.2.1").status_code == 302


def test_an_ipv6_attacker_cannot_escape_the_lockout_by_changing_address_within_their_network(client, staff):
    for n in range(20):
        log_in(client, f"someone-{n}", "guess", ip=f"2001:db8:5:6::{n + 1}")
    assert LOCKED in errors(log_in(client, "ed", PASSWORD, ip="2001:db8:5:6::ff"))


def test_an_unknown_account_gets_the_same_answers_as_a_real_one(client, staff):
    real = [errors(log_in(client, "ed", f"guess-{n}", ip="192.0.2.1")) for n in range(6)]
    cache.clear()
    unknown = [errors(log_in(client, "nobody", f"guess-{n}", ip="192.0.2.1")) for n in range(6)]
    assert real == unknown


def test_a_failed_sign_in_is_logged_with_the_login_and_address_but_never_the_password(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.sign_in"):
        log_in(client, "ed", "my-secret-guess", ip="192.0.2.44")
    assert "Failed sign-in for 'ed' from 192.0.2.44" in caplog.text
    assert "my-secret-guess" not in caplog.text


def test_a_signed_in_reader_who_is_not_staff_cannot_open_the_admin(client):
    client.force_login(UserFactory(username="reader"))
    assert client.get("/admin/", follow=True).status_code == 403


def test_with_the_setting_on_an_editor_without_a_second_factor_is_sent_to_add_one(client, staff, settings):
    settings.BACKCARE_REQUIRE_MFA_FOR_EDITORS = True
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(response["Location"], follow=True)  # allauth asks for the password again first
    assert page.status_code == 200
    assert "Editors must sign in with a second factor" in page.content.decode()


def test_with_the_setting_on_an_editor_with_an_authenticator_app_opens_the_admin(client, staff, settings):
    settings.BACKCARE_REQUIRE_MFA_FOR_EDITORS = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_setting_does_not_touch_teachers(client, settings):
    settings.BACKCARE_REQUIRE_MFA_FOR_EDITORS = True
    from tests.classes.factories import teacher_login

    user, _teacher = teacher_login("tess")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_staff_with_an_authenticator_app_are_asked_for_a_code_after_the_password(client, staff):
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = log_in(client, "ed", PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_staff_can_open_the_second_factor_pages(client, staff):
    client.force_login(staff)
    html = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html


# --- Readers signing in to comment ---------------------------------------------


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


def test_a_reader_signs_in_with_a_provider_and_comments_as_themselves(client, facebook):
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    finished = sign_in_with_facebook(client, exercise.get_absolute_url())
    assert finished.status_code == 302
    assert finished["Location"] == exercise.get_absolute_url()
    account = SocialAccount.objects.get(provider="facebook", uid="10001")
    assert not account.user.is_staff
    assert any(url.endswith("/me") for url in facebook.requests)

    page = client.get(exercise.get_absolute_url())
    html = page.content.decode()
    assert "Commenting as <strong>Gwen Evans</strong>" in html
    assert ">Log out</button>" in html
    assert ">Change</button>" in html
    assert 'value="gwen@example.org"' in html
    assert "private" in page["Cache-Control"]


def test_a_state_that_does_not_match_signs_nobody_in(client, facebook):
    client.post(reverse("facebook_login") + "?process=login")
    response = client.get(reverse("facebook_callback"), {"code": "fake-code", "state": "forged"})
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert response.status_code == 401


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_a_signed_in_readers_comment_still_goes_to_akismet_which_can_call_it_spam(
    client, facebook, monkeypatch, akismet_sync_class, django_capture_on_commit_callbacks
):
    checked = []

    class RecordingClient(akismet_sync_class):
        def comment_check(self, user_ip, **kwargs):
            checked.append(kwargs)
            return super().comment_check(user_ip, **kwargs)

    config = akismet.Config(key="test-key", url="http://127.0.0.1/")
    monkeypatch.setattr(api, "get_client", lambda **kwargs: RecordingClient(config=config))
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    sign_in_with_facebook(client, exercise.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post"),
            comment_data(exercise, name="Gwen Evans"),
            headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        )
    comment = Comment.objects.get()
    assert comment.user.socialaccount_set.filter(provider="facebook").exists()
    assert [call["comment_author"] for call in checked] == ["Gwen Evans"]
    assert comment.badge == ""
    assert comment.status == Comment.Status.SPAM


def test_anonymous_readers_see_the_same_form_as_before_with_an_optional_sign_in_link(client):
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    page = client.get(exercise.get_absolute_url())
    html = page.content.decode()
    assert "Commenting as" not in html
    assert f"{LOGIN}?next=/exercises/knee-walking/%23comment-form" in html
    assert "private" not in page.get("Cache-Control", "")


def test_a_reader_signs_in_with_a_code_sent_by_email(client, mailoutbox):
    UserFactory(username="gwen", email="gwen@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "gwen@example.org"})
    assert response.status_code == 302
    code = re.search(r"browser window\.\s+(\S+)\s", mailoutbox[0].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_code_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_request_login_code"), {"email": "stranger@example.org"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_request_login_code", "classes:alert_signup"]
)
def test_the_sign_in_and_alert_pages_keep_the_strict_policy_with_no_inline_script_or_style(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", html)
    assert 'name="robots" content="noindex"' in html


def test_staff_pages_allow_passkeys_on_our_own_origin_only(client):
    response = client.get(reverse("account_login"))
    assert "publickey-credentials-get=(self)" in response["Permissions-Policy"]


# --- Signing in in Welsh (/cy/accounts/, locale/allauth/cy) -----------------------------------

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
    for english in ("Sign In", "Password", "Remember Me", "Forgot your password?", "Send me a sign-in code"):
        assert english not in text
    assert 'href="/cy/accounts/password/reset/"' in html
    assert 'href="/cy/accounts/login/code/"' in html


def test_the_english_sign_in_page_stays_english_at_its_old_address(client):
    response = client.get(LOGIN)
    assert response["Content-Language"] == "en-GB"
    assert "Sign In" in text_of(response)
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
