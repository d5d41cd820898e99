"""Data requests for a whole person (backcare/privacy.py): every installed model says what a request
does with it, and a person found by e-mail address or sign-in account has every kind of record
exported, and nothing of anyone else."""

import json

import pytest
from django.apps import apps
from django.core.management.base import CommandError

from backcare import privacy
from classes.models import Enquiry
from comments.models import Comment
from comments.privacy import EXPORT_NAMES
from tests.project.privacy_helpers import SIGN, export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


# --- Every model is considered ------------------------------------------------------


def test_every_installed_model_says_what_a_data_request_does_with_it():
    installed = {model._meta.label for model in apps.get_models()}
    assert installed == set(privacy.PERSONAL_DATA)


# --- Export ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "asked", [["angharad@example.org"], ["--user", "angharad"]], ids=["by-email", "by-account"]
)
def test_the_export_holds_every_record_of_the_person_and_nothing_of_another(people, asked):
    angharad, _ = people
    data = export(*asked)
    text = json.dumps(data)
    assert sorted(row["id"] for row in data["comments"]) == sorted(c.pk for c in angharad.comments)
    held = next(row for row in data["comments"] if row["id"] == angharad.comments[0].pk)
    assert (held["held_reason"], held["guard_reason"]) == ("held for angharad", "guard doubted angharad")
    assert {"at", "what", "by", "detail"} <= set(held["history"][0])
    assert [SIGN] in [entry["detail"].get("signs") for entry in held["history"]]
    signed_in = next(row for row in data["comments"] if row["id"] == angharad.comments[1].pk)
    assert signed_in["signed_in_as"] == angharad.user.pk
    (enquiry,) = data["enquiries"]
    assert enquiry["id"] == angharad.enquiry.pk
    for name in (
        "held_for_an_editor_because",
        "spam_check",
        "last_error",
        "answered_at",
        "language",
        "phone",
    ):
        assert enquiry[name], name
    (alert,) = data["course_alerts"]
    assert alert["id"] == angharad.alert.pk
    assert alert["courses_waiting_to_be_announced"] == [angharad.pending.course.title]
    (account,) = data["accounts"]
    assert account["username"] == "angharad"
    assert "password" not in account
    assert [a["email"] for a in account["email_addresses"]] == [
        "angharad@example.org",
        "angharad@second.example.net",
    ]
    assert account["email_addresses"][1]["confirmations_sent"] == 1
    assert account["social_accounts"][0]["extra_data"] == {"name": "Angharad Jones"}
    assert account["social_accounts"][0]["tokens_kept"] == 1
    assert sorted(f["type"] for f in account["second_factors"]) == ["recovery_codes", "totp"]
    assert len(account["sessions"]) == 1
    assert account["admin_language"] == "cy"
    (failed_task,) = data["failed_tasks_naming_you"]
    (bounce,) = data["bouncing_addresses"]
    assert (bounce["email"], bounce["status"]) == ("angharad@second.example.net", "5.1.1")
    assert "angharad@example.org" in failed_task["error"]
    assert "angharad@second.example.net" in data["email_addresses"]
    assert "bethan" not in text.lower()
    # Secrets are never written out.
    for secret in ("angharad-seed", "angharad-codes", "angharad-token", "angharad-key"):
        assert secret not in text


def test_the_export_names_every_field_of_a_comment_and_an_enquiry(people):
    data = export("angharad@example.org")

    comment_keys = set(data["comments"][0])
    for field in Comment._meta.concrete_fields:
        assert field.primary_key or EXPORT_NAMES.get(field.name, field.name) in comment_keys, field.name
    assert len(data["enquiries"][0]) >= len(Enquiry._meta.concrete_fields)


def test_an_unknown_account_is_a_clear_error():
    with pytest.raises(CommandError, match='No sign-in account has the username or id "nobody"'):
        export("--user", "nobody")


def test_an_account_can_be_given_by_its_id(people):
    angharad, _ = people
    assert export("--user", str(angharad.user.pk))["accounts"][0]["username"] == "angharad"
