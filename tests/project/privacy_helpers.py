"""What the data-request tests share: every kind of record about one person, and running the
export and erase commands."""

import io
import json
from dataclasses import dataclass

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import AdminLanguage
from classes.models import AlertSubscription, Enquiry, PendingAlert
from comments.models import Comment, CommentEvent
from mailing.models import BouncingAddress
from tests.classes.factories import CourseFactory, TeacherFactory
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory

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
