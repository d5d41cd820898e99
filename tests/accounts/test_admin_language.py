"""Each login chooses English or Welsh for the admin (accounts/admin_language.py); public pages keep
the language of their address."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import django.contrib.admin
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AdminLanguage
from tests.classes.factories import teacher_login, weekly_course
from tests.welsh.test_welsh_catalogue import gettext_tool

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PASSWORD = "gentle-back-demo"


@pytest.fixture
def teacher(client):
    user, profile = teacher_login("gwen", name="Gwen Teacher")
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    return user, profile


def choose(client, language: str):
    return client.post(reverse("admin_language"), {"language": language}, follow=True)


def test_a_teacher_who_chooses_welsh_gets_djangos_and_our_admin_strings_in_welsh(client, teacher):
    html = choose(client, "cy").content.decode()
    assert '<html lang="cy"' in html
    assert "Mae’r tudalennau gweinyddu yn Gymraeg nawr." in html  # ours: "The admin is now in Welsh."
    assert "Newid cyfrinair" in html  # Django's own Welsh admin: "Change password"
    assert "Allgofnodi" in html  # Django's: "Log out"
    assert "Eich cyrsiau" in html  # ours: "Your courses"
    assert AdminLanguage.objects.get(user=teacher[0]).language == "cy"
    assert client.get(reverse("admin:index"))["Content-Language"] == "cy"


def test_a_course_form_in_the_welsh_admin_has_djangos_save_button_and_our_help_in_welsh(client, teacher):
    course = weekly_course(timezone.localdate() + timedelta(days=3), teachers=[teacher[1]])
    choose(client, "cy")
    html = client.get(reverse("admin:classes_course_change", args=[course.pk])).content.decode()
    assert 'value="Cadw"' in html  # Django's "Save"
    assert "Sut i gadw" in html  # ours: "How to keep your course up to date"


def test_choosing_english_again_puts_the_admin_back_in_english(client, teacher):
    choose(client, "cy")
    html = choose(client, "en-gb").content.decode()
    assert "The admin is now in English." in html
    assert "Change password" in html
    assert AdminLanguage.objects.get(user=teacher[0]).language == "en-gb"


def test_the_choice_is_the_logins_own_and_other_logins_stay_in_english(client, teacher, editor):
    choose(client, "cy")
    other = Client()
    other.force_login(editor)
    assert "Change password" in other.get(reverse("admin:index")).content.decode()


def test_the_choice_survives_signing_out_and_in_again_through_the_sign_in_page(client, teacher):
    choose(client, "cy")
    client.post(reverse("admin:logout"))
    assert client.get(reverse("admin:index")).status_code == 302  # signed out
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": "gwen", "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"
    assert '<html lang="cy"' in html
    assert "Eich cyrsiau" in html
    # allauth's greeting, in the login's chosen language too.
    assert "Wedi mewngofnodi fel gwen." in html


def test_signing_in_for_the_public_site_greets_in_the_sites_language(client, teacher):
    choose(client, "cy")
    client.post(reverse("admin:logout"))
    response = client.post("/accounts/login/?next=/", {"login": "gwen", "password": PASSWORD})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Successfully signed in as gwen."]


def test_public_pages_keep_the_language_of_their_address_whatever_the_admin_language(client, teacher):
    course = weekly_course(timezone.localdate() + timedelta(days=3), teachers=[teacher[1]])
    choose(client, "cy")
    english = client.get(course.get_absolute_url())
    assert english["Content-Language"] == "en-GB"
    assert '<html lang="en-GB"' in english.content.decode()
    welsh = client.get("/cy" + course.get_absolute_url())
    assert welsh["Content-Language"] == "cy"


def test_opening_the_language_page_changes_nothing(client, teacher):
    choose(client, "cy")
    response = client.get(reverse("admin_language") + "?language=en-gb")
    assert response.status_code == 200
    assert AdminLanguage.objects.get(user=teacher[0]).language == "cy"
    # The current choice is the one ticked.
    assert re.search(r'value="cy"[^>]*\bchecked', response.content.decode())


def test_a_language_we_do_not_offer_is_refused_with_a_message(client, teacher):
    response = client.post(reverse("admin_language"), {"language": "fr"})
    assert response.status_code == 200
    assert "Choose “English” or “Cymraeg” (Welsh)." in response.content.decode()
    assert not AdminLanguage.objects.exists()


def test_a_choice_the_site_no_longer_offers_leaves_the_admin_in_english(client, teacher):
    AdminLanguage.objects.create(user=teacher[0], language="fr")
    assert "Change password" in client.get(reverse("admin:index")).content.decode()


def test_the_language_page_needs_a_signed_in_staff_login_and_the_csrf_token(teacher):
    anonymous = Client()
    response = anonymous.post(reverse("admin_language"), {"language": "cy"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher[0])
    assert strict.post(reverse("admin_language"), {"language": "cy"}).status_code == 403
    assert not AdminLanguage.objects.exists()


def test_every_admin_page_links_to_the_language_choice(client, teacher):
    html = client.get(reverse("admin:classes_course_changelist")).content.decode()
    assert f'href="{reverse("admin_language")}"' in html


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_string_of_djangos_admin_has_welsh_from_django_or_from_us(domain, tmp_path):
    """Django's own Welsh admin catalogue, with ours (locale/admin/cy) filling its gaps, covers every
    admin string: a Welsh admin never mixes in English, nor labels a date button in English."""
    admin_locale = Path(django.contrib.admin.__file__).parent / "locale"
    english = admin_locale / "en" / "LC_MESSAGES" / f"{domain}.po"
    # Django's Welsh, on the current list of admin strings (some of its entries are older forms).
    djangos = tmp_path / "djangos-welsh.po"
    subprocess.run(
        [
            gettext_tool("msgmerge"),
            "--quiet",
            "--no-fuzzy-matching",
            "-o",
            djangos,
            admin_locale / "cy" / "LC_MESSAGES" / f"{domain}.po",
            english,
        ],
        check=True,
    )
    together = tmp_path / "welsh.po"
    ours = settings.BASE_DIR / "locale" / "admin" / "cy" / "LC_MESSAGES" / f"{domain}.po"
    subprocess.run([gettext_tool("msgcat"), "--use-first", "-o", together, ours, djangos], check=True)
    result = subprocess.run(
        [gettext_tool("msgcmp"), together, english],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr


def test_the_date_buttons_of_the_welsh_admin_are_named_in_welsh(client, teacher):
    choose(client, "cy")
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    assert '"Today (%(date)s)": "Heddiw (%(date)s)"' in catalogue
    assert '"Today": "Heddiw"' in catalogue  # Django's own
