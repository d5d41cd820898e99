"""The sign-in pages and course alerts in a real browser: accessible, within the CSP, and working."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from classes.models import AlertSubscription
from exercises.models import Exercise
from tests.browser.sign_in import sign_in

# Restore the migrated rows (content types, the Teachers group) after each test, like
# test_classes.py: a flush here would otherwise leave that module rows it cannot load over.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


# Every sign-in page in both languages, at 390 px with axe: tests/browser/test_sign_in_pages.py.


def test_a_welsh_reader_follows_sign_in_from_a_comment_form_and_comes_back_signed_in(page, axe, demo):
    get_user_model().objects.create_user("gwen", email="gwen@example.org")
    exercise = Exercise.objects.published().first()
    page.goto(f"/cy{exercise.get_absolute_url()}")
    page.get_by_role("link", name="fewngofnodi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi")
    assert page.url.split("?")[0].endswith("/cy/accounts/login/")
    axe(page)
    page.get_by_role("link", name="Anfon cod mewngofnodi ataf").click()
    page.get_by_label("E-bost").fill("gwen@example.org")
    page.get_by_role("button", name="Gofyn am god").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhowch y cod mewngofnodi")
    axe(page)
    code = re.search(r"sydd ar agor gennych\.\s+(\S+)\s", mail.outbox[-1].body).group(1)
    page.get_by_label("Cod").fill(code)
    page.get_by_role("button", name="Cadarnhau").click()
    expect(page).to_have_url(re.compile(rf"/cy{re.escape(exercise.get_absolute_url())}#comment-form$"))
    expect(page.get_by_text("Yn gadael sylw fel gwen")).to_be_visible()
    axe(page)


def test_a_wrong_password_message_is_accessible_and_keeps_the_username(page, axe):
    get_user_model().objects.create_user("ed", password="right-password-123", is_staff=True)
    sign_in(page, "ed", "wrong-password")
    expect(page.get_by_text("The username or e-mail address, or the password, is not right.")).to_be_visible()
    assert page.get_by_label("Username or e-mail address").input_value() == "ed"
    axe(page)


def test_staff_open_the_second_factor_pages_within_the_csp(page, axe):
    get_user_model().objects.create_superuser("ed", "ed@backcare.example.org", "right-password-123")
    sign_in(page, "ed", "right-password-123", next_url=reverse("mfa_index"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    page.goto(reverse("mfa_activate_totp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm access")  # the password again first
    axe(page)
    page.get_by_label("Password").fill("right-password-123")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Authenticator code")).to_be_visible()
    axe(page)


def test_staff_open_the_welsh_second_factor_pages_accessibly(page, axe):
    get_user_model().objects.create_superuser("ed", "ed@backcare.example.org", "right-password-123")
    sign_in(page, "ed", "right-password-123")
    page.goto("/cy/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dilysu dau ffactor")
    axe(page)
    page.goto("/cy/accounts/2fa/totp/activate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cadarnhau mynediad")
    axe(page)
    page.get_by_label("Cyfrinair").fill("right-password-123")
    page.get_by_role("button", name="Cadarnhau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Troi’r ap dilysu ymlaen")
    expect(page.get_by_label("Cod dilysu")).to_be_visible()
    axe(page)


def test_a_reader_asks_for_course_alerts_from_a_teachers_page_and_confirms(page, demo, axe, live_server):
    page.goto(reverse("classes:teacher", args=["gwen-demo"]))
    page.get_by_role("link", name="Tell me when a new course starts").click()
    axe(page)
    assert page.get_by_label("Tell me about").input_value() == "teacher:gwen-demo"
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_role("button", name="Send me course alerts").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    axe(page)
    page.get_by_label("Your e-mail address").fill("reader@example.org")
    page.get_by_role("button", name="Send me course alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    axe(page)

    link = re.search(r"http://[^/\s]+(/classes/alerts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    axe(page)
    page.get_by_role("button", name="Yes, send me alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the list")
    assert AlertSubscription.objects.get().confirmed_at is not None
