"""Sign-in (accounts/sign_in.py): the staff door with lockout and second factors, and optional
sign-in for commenters through a provider (mocked: no network) or an e-mail code. In Welsh:
test_sign_in_welsh.py."""

import logging
import re

import akismet
import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.urls import reverse

from akismet_service import api
from comments.models import Comment
from tests.accounts.conftest import LOGIN, PASSWORD, errors, log_in, sign_in_with_facebook
from tests.comments.conftest import comment_data
from tests.factories import ExerciseFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

LOCKED = "Too many failed sign-in attempts"
WRONG = "The username or e-mail address, or the password, is not right."


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
