"""The editors' list of warning signs in the admin: each sign's language is shown and filters the list."""

import pytest
from django.urls import reverse
from django.utils import translation

from safety import signs
from safety.models import WarningSign

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_signs():
    WarningSign.objects.create(words="vision blurry", meaning="sight problems")
    WarningSign.objects.create(
        words="golwg aneglur", meaning="sight problems", language=WarningSign.Language.WELSH
    )


def test_the_list_of_warning_signs_shows_each_signs_language(editor_client, two_signs):
    html = editor_client.get(reverse("admin:safety_warningsign_changelist")).content.decode()
    assert "column-language" in html
    assert ">Welsh</td>" in html
    assert ">English</td>" in html


def test_the_list_of_warning_signs_filters_by_language(editor_client, two_signs):
    url = reverse("admin:safety_warningsign_changelist")
    html = editor_client.get(url, {"language__exact": "cy"}).content.decode()
    assert "golwg aneglur" in html
    assert "vision blurry" not in html


def test_an_editor_adds_a_welsh_sign_in_the_admin_and_it_matches_through_mutations(editor_client):
    response = editor_client.post(
        reverse("admin:safety_warningsign_add"),
        {"words": "golwg aneglur", "language": "cy", "meaning": "sight problems", "active": "on"},
    )
    assert response.status_code == 302
    assert signs.warning_signs("mae fy ngolwg i'n aneglur ers y gwymp") == ["sight problems"]


def test_the_welsh_help_text_gives_welsh_examples():
    with translation.override("cy"):
        help_text = str(WarningSign._meta.get_field("words").help_text)
    assert "numb saddle" not in help_text
    assert "coes diffrwyth" in help_text
