"""Data requests for a whole person (backcare/privacy.py): found by e-mail address and by sign-in
account, every kind of record exported, and erase leaves nothing of them and touches nobody else."""

import io
import json
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import AdminLanguage
from backcare import privacy
from classes.models import AlertSubscription, Enquiry, PendingAlert
from comments.models import Comment, CommentEvent
from comments.privacy import EXPORT_NAMES
from mailing.models import BouncingAddress
from tests.classes.factories import CourseFactory, TeacherFactory
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

SIGN = "numbness in the saddle area"


@dataclass
class Records:
    """One of every kind of record the site can hold about one person."""

    marker: str
    ip: str
    user: object
    comments: list[Comment]
    enquiry: Enquiry
    alert: AlertSubscription
    pending: PendingAlert
    addresses: list[EmailAddress]
    confirmation: EmailConfirmation
    social: SocialAccount
    token: SocialToken
    factors: list[Authenticator]
    language: AdminLanguage
    log_entry: LogEntry
    failed_task: DBTaskResult
    bounce: BouncingAddress

    @property
    def email(self) -> str:
        return f"{self.marker}@example.org"

    def rows(self) -> list:
        return [
            self.user,
            *self.comments,
            *CommentEvent.objects.filter(comment__in=self.comments),
            self.enquiry,
            self.alert,
            self.pending,
            *self.addresses,
            self.confirmation,
            self.social,
            self.token,
            *self.factors,
            self.language,
            self.log_entry,
            self.failed_task,
            self.bounce,
        ]


def everything_about(marker: str, ip: str, *, moderator, exercise) -> Records:
    """Every field that can hold something of the person carries ``marker`` (the comment texts aside:
    they stay for the thread); ``ip`` is their address."""
    user = UserFactory(username=marker, email=f"{marker}@example.org", first_name=marker.title())
    primary = EmailAddress.objects.create(
        user=user, email=f"{marker}@example.org", verified=True, primary=True
    )
    second = EmailAddress.objects.create(user=user, email=f"{marker}@second.example.net")
    confirmation = EmailConfirmation.objects.create(email_address=second, key=f"{marker}-key")
    browser = f"{marker}-browser/1.0"

    def comment(**fields) -> Comment:
        return CommentFactory(
            on=exercise,
            name=f"{marker.title()} Jones",
            url=f"https://{marker}.example/",
            ip=ip,
            user_agent=browser,
            referrer=f"https://{marker}.example/from",
            subscribed=True,
            **fields,
        )

    # Sent before signing in, held: a form guard's doubt and the warning signs it described.
    held = comment(
        email=f"{marker}@example.org",
        text="I cannot feel my legs",
        pending=True,
        held_reason=f"held for {marker}",
        guard_reason=f"guard doubted {marker}",
    )
    CommentEvent.objects.record(held, CommentEvent.Kind.HELD, reason="warning signs", signs=[SIGN])
    # Typed under another address while signed in: only Comment.user links it.
    signed_in = comment(email=f"{marker}@elsewhere.example", text="Thanks for the reply", user=user)
    CommentEvent.objects.record(signed_in, CommentEvent.Kind.POSTED, actor=user, signed_in=True)
    # Sent with the account's second address, never signed in.
    other_address = comment(email=f"{marker}@second.example.net", text="Another question")
    enquiry = Enquiry.objects.create(
        teacher=TeacherFactory(),
        name=f"{marker.title()} Jones",
        email=f"{marker.upper()}@example.org",
        phone=f"01970 {marker}",
        message="Is the class suitable?",
        language="cy",
        ip_address=ip,
        user_agent=browser,
        referrer=f"https://{marker}.example/enquiry",
        verdict=Enquiry.Verdict.HAM,
        check_detail="ham",
        send_attempts=2,
        last_error=f"mailbox of {marker} full",
        held_reason=f"Describes warning signs of a back emergency: {SIGN}",
        answered_at=timezone.now(),
    )
    alert = AlertSubscription.objects.create(
        email=f"{marker}@example.org", town="Aberystwyth", ip_address=ip, user_agent=browser
    )
    pending = PendingAlert.objects.create(subscription=alert, course=CourseFactory())
    social = SocialAccount.objects.create(
        user=user, provider="google", uid=f"{marker}-uid", extra_data={"name": f"{marker.title()} Jones"}
    )
    token = SocialToken.objects.create(account=social, token=f"{marker}-token")
    factors = [
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": f"{marker}-seed"}
        ),
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": f"{marker}-codes"}
        ),
    ]
    Client().force_login(user)
    language = AdminLanguage.objects.create(user=user, language="cy")
    log_entry = LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(held.pk),
        object_repr=str(held),
        action_flag=CHANGE,
        change_message="[]",
    )
    failed_task = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [alert.pk], "kwargs": {}},
        task_path="classes.tasks.confirm_alert_signup",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback=f"SMTPRecipientsRefused: {{'{marker}@example.org': (550, b'No such user')}}",
    )
    return Records(
        marker=marker,
        ip=ip,
        user=user,
        comments=[held, signed_in, other_address],
        enquiry=enquiry,
        alert=alert,
        pending=pending,
        addresses=[primary, second],
        confirmation=confirmation,
        social=social,
        token=token,
        factors=factors,
        language=language,
        log_entry=log_entry,
        failed_task=failed_task,
        bounce=BouncingAddress.objects.create(
            email=f"{marker}@second.example.net",
            last_bounced_at=timezone.now(),
            status="5.1.1",
            diagnostic=f"smtp; 550 5.1.1 <{marker}@second.example.net>: Recipient address rejected",
        ),
    )


@pytest.fixture
def people():
    moderator = UserFactory(username="moderator", is_staff=True)
    exercise = ExerciseFactory()
    return (
        everything_about("angharad", "203.0.113.77", moderator=moderator, exercise=exercise),
        everything_about("bethan", "198.51.100.88", moderator=moderator, exercise=exercise),
    )


def signed_in_sessions(user) -> int:
    return sum(
        1 for session in Session.objects.all() if session.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def export(*args: str) -> dict:
    out = io.StringIO()
    call_command("export_personal_data", *args, stdout=out)
    return json.loads(out.getvalue())


def erase(*args: str) -> str:
    out = io.StringIO()
    call_command("erase_personal_data", *args, stdout=out)
    return out.getvalue()


def everything_stored() -> str:
    """Every value of every row of every table, as one lower-case text."""
    values = []
    for model in apps.get_models():
        for row in model.objects.values_list():
            values.append(repr(row))
    return "\n".join(values).lower()


def snapshot(records: Records) -> list:
    return [
        (type(row).__name__, row.pk, model_to_dict(type(row).objects.get(pk=row.pk)))
        for row in records.rows()
    ]


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


# --- Erase ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "asked", [["angharad@example.org"], ["--user", "angharad"]], ids=["by-email", "by-account"]
)
def test_erase_leaves_nothing_of_the_person_and_touches_nobody_else(people, asked):
    angharad, bethan = people
    before = snapshot(bethan)
    out = erase(*asked)
    assert "Anonymised 3 comment(s)" in out
    assert "Deleted 1 sign-in account(s)" in out
    stored = everything_stored()
    for trace in ("angharad", angharad.ip, angharad.user.email):
        assert trace not in stored
    for kind in (EmailAddress, EmailConfirmation, SocialAccount, SocialToken, Authenticator, AdminLanguage):
        assert not kind.objects.exclude(
            pk__in=[row.pk for row in bethan.rows() if isinstance(row, kind)]
        ).exists()
    assert signed_in_sessions(angharad.user) == 0
    assert not Enquiry.objects.filter(pk=angharad.enquiry.pk).exists()
    assert not PendingAlert.objects.filter(pk=angharad.pending.pk).exists()
    assert not BouncingAddress.objects.filter(pk=angharad.bounce.pk).exists()
    for comment in Comment.objects.filter(pk__in=[c.pk for c in angharad.comments]):
        assert (comment.user_id, comment.held_reason, comment.guard_reason) == (None, "", "")
        assert [event.detail for event in comment.events.all()] == [{}] * comment.events.count()
    # The other person's records, their sessions and warning-sign matches included, are as they were.
    assert snapshot(bethan) == before
    assert signed_in_sessions(bethan.user) == 1
    assert CommentEvent.objects.filter(comment=bethan.comments[0], detail__signs=[SIGN]).exists()


def test_erase_refuses_a_staff_account_unless_told_and_changes_nothing(people):
    angharad, _ = people
    angharad.user.is_staff = True
    angharad.user.save()
    with pytest.raises(CommandError, match=r"member of staff.*--staff"):
        erase("--user", "angharad")
    assert Comment.objects.filter(name="Angharad Jones").count() == 3
    assert "Deleted 1 sign-in account(s)" in erase("--user", "angharad", "--staff")
    assert not type(angharad.user).objects.filter(pk=angharad.user.pk).exists()


def test_erase_never_deletes_the_last_superuser(people):
    angharad, _ = people
    angharad.user.is_staff = angharad.user.is_superuser = True
    angharad.user.save()
    with pytest.raises(CommandError, match="last active superuser"):
        erase("--user", "angharad", "--staff")
    UserFactory(username="another", is_superuser=True)
    assert "Deleted 1 sign-in account(s)" in erase("--user", "angharad", "--staff")


def test_erase_refuses_while_the_person_has_a_teacher_profile(people):
    angharad, _ = people
    TeacherFactory(name="Angharad Teacher", user=angharad.user)
    with pytest.raises(CommandError, match=r'Teacher profile "Angharad Teacher".*Remove it in the admin'):
        erase("--user", "angharad", "--staff")
    assert type(angharad.user).objects.filter(pk=angharad.user.pk).exists()


def test_a_dry_run_says_what_would_go_and_changes_nothing(people):
    angharad, _ = people
    before = snapshot(angharad)
    out = erase("angharad@example.org", "--dry-run")
    assert out.startswith("Dry run, nothing was changed.")
    assert "Deleted 2 second factor(s)" in out
    assert "Signed out and deleted 1 session(s)" in out
    assert snapshot(angharad) == before
    assert signed_in_sessions(angharad.user) == 1


def test_erase_takes_the_name_out_of_the_admin_history(people):
    angharad, bethan = people
    erase("angharad@example.org")
    angharad.log_entry.refresh_from_db()
    bethan.log_entry.refresh_from_db()
    assert angharad.log_entry.object_repr.startswith("(removed)")
    assert bethan.log_entry.object_repr.startswith("Bethan Jones")


# --- What the privacy page says -------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "we also keep the profile details it sends us"),
        ("/cy/privacy/", "rydyn ni hefyd yn cadw’r manylion proffil y mae’n eu hanfon aton ni"),
    ],
)
def test_the_privacy_page_says_a_providers_profile_details_are_kept(client, address, sentence):
    assert sentence in client.get(address).content.decode()


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "That note is health information"),
        ("/cy/privacy/", "Gwybodaeth iechyd yw’r nodyn hwnnw"),
    ],
)
def test_the_privacy_page_says_which_warning_signs_a_message_described_is_kept_as_health_data(
    client, address, sentence
):
    assert sentence in client.get(address).content.decode()


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "we note your address and what your mail server said"),
        ("/cy/privacy/", "rydyn ni’n nodi eich cyfeiriad a’r hyn a ddywedodd eich gweinydd e-bost"),
    ],
)
def test_the_privacy_page_says_an_address_whose_mail_bounced_is_noted(client, address, sentence):
    assert sentence in client.get(address).content.decode()
