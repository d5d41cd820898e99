"""Data requests: everything the site holds about one person, exported or erased.

A person is found by e-mail address, by sign-in account, or both. An account
found either way brings its own addresses (``User.email`` and every allauth
``EmailAddress``), and comments typed while signed in as it count whatever
address was typed. Each app answers for its own records (``comments.privacy``,
``classes.privacy``, which know nothing of each other); this module finds the
person, adds the sign-in account (allauth's addresses, provider accounts and
second factors, sessions, the admin language) and wires them together.

Erasing never deletes a member of staff's account unless asked to
(``allow_staff``), and never a teacher's profile: the editor removes that in
the admin, deciding what happens to the teacher's courses and the messages
sent to them, which are other people's data too.

``PERSONAL_DATA`` names every model, ours and the libraries', and what a
data request does with it; ``tests/project/test_privacy_export.py`` fails when a new
model is not in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django_tasks_db.models import DBTaskResult

from accounts.models import AdminLanguage
from classes import privacy as classes_privacy
from classes.models import AlertSubscription, Booking, Enquiry
from comments import privacy as comments_privacy
from comments.lifecycle import ERASED_NAME
from comments.models import Comment
from exercises.models import Exercise
from mailing.models import BouncingAddress

# What a data request does with each model's rows: a test checks that every installed model is here.
PERSONAL_DATA: dict[str, str] = {
    # A person's own records: exported, then anonymised or deleted.
    "comments.Comment": "exported; anonymised (the text stays for the thread), account link cut",
    "comments.CommentEvent": "exported with its comment; detail emptied (warning-sign matches, reasons)",
    "classes.Enquiry": "exported, every field; deleted",
    "classes.AlertSubscription": "exported, every field; deleted",
    "classes.PendingAlert": "exported with its sign-up; deleted with it",
    "classes.Booking": "exported, every field; deleted (a place held goes to the waiting list)",
    "classes.BookingMessage": "exported with its place request (what was e-mailed, when); deleted with it",
    "auth.User": "exported (not the password hash); deleted, staff only with allow_staff",
    "account.EmailAddress": "exported; deleted with the account",
    "account.EmailConfirmation": "deleted with the account (holds only a key and times)",
    "socialaccount.SocialAccount": "exported with extra_data; deleted with the account",
    "socialaccount.SocialToken": "counted (never exported: a credential); deleted with the account",
    "mfa.Authenticator": "exported without its secrets; deleted with the account",
    "sessions.Session": "the account's sessions: expiry exported; deleted",
    "accounts.AdminLanguage": "exported; deleted with the account",
    "admin.LogEntry": "the account's admin history exported, deleted with it; entries about "
    "erased rows lose the name they showed",
    "classes.Teacher": "exported; erase refuses while a teacher profile exists (the editor removes it)",
    "exercises.Exercise": "titles written exported; the author link is cut when the account goes",
    "mailing.BouncingAddress": "exported (when mail to the address bounced, what the server said); deleted",
    # No personal data.
    "auth.Permission": "none",
    "auth.Group": "none (membership goes with the account)",
    "contenttypes.ContentType": "none",
    "django_tasks_database.DBTaskResult": "tasks take row ids; a failed one whose traceback names an "
    "address (a refused recipient) is exported and deleted",
    "socialaccount.SocialApp": "none: the site's own provider keys",
    "pagecache.MissedPageInvalidation": "none",
    "pagecache.CountedLimit": "none: rate-limit counts kept during a Redis outage, keyed by an IP "
    "address, an account id or a hashed login; deleted within a day of expiring (purge_counted_limits)",
    "akismet_service.AkismetHealth": "none: Akismet's last answer",
    "safety.WarningSign": "none: the editor's list",
    "comments.CommentSettings": "none",
    "exercises.Category": "none",
    "exercises.Step": "none",
    "exercises.Handout": "none",
    "exercises.HandoutItem": "none",
    "exercises.SearchDocument": "none",  # the exercises' own words, for search
    "exercises.SearchWord": "none",
    "classes.Venue": "none: a hall's address, not a person's",
    "classes.Course": "none",
    "classes.Session": "none",
    "classes.AnnouncedCourse": "none",
}


class Refused(Exception):
    """Erasing would delete what needs a person's decision first; the message says what to do."""


class UnknownAccount(LookupError):
    """No sign-in account has this username or id."""


@dataclass(frozen=True)
class Person:
    """The addresses and sign-in accounts one data request is about."""

    emails: frozenset[str]
    users: tuple[User, ...] = ()

    @property
    def user_ids(self) -> list[int]:
        return [user.pk for user in self.users]

    def describe(self) -> str:
        accounts = [f'account "{user.get_username()}" (id {user.pk})' for user in self.users]
        return ", ".join(sorted(self.emails) + accounts) or "nobody"


def _account(username_or_id: str) -> User:
    users = get_user_model().objects
    found = users.filter(**{get_user_model().USERNAME_FIELD: username_or_id}).first()
    if found is None and username_or_id.isdigit():
        found = users.filter(pk=int(username_or_id)).first()
    if found is None:
        raise UnknownAccount(f'No sign-in account has the username or id "{username_or_id}".')
    return found


def find(*, emails: Iterable[str] = (), accounts: Iterable[str] = ()) -> Person:
    """The person behind these addresses and accounts (usernames or ids).

    An account whose e-mail or one of whose allauth addresses is among
    ``emails`` is theirs; every address of each account is theirs too.
    """
    wanted = {email.strip().lower() for email in emails} - {""}
    users = {user.pk: user for user in map(_account, accounts)}
    if wanted:
        by_address = Q(pk__in=[])
        for email in wanted:
            by_address |= Q(email__iexact=email) | Q(emailaddress__email__iexact=email)
        users.update({user.pk: user for user in get_user_model().objects.filter(by_address).distinct()})
    found = set(wanted)
    for user in users.values():
        if user.email:
            found.add(user.email.lower())
        found.update(
            email.lower() for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
    return Person(emails=frozenset(found), users=tuple(sorted(users.values(), key=lambda user: user.pk)))


def failed_tasks_naming(emails: Iterable[str]) -> QuerySet[DBTaskResult]:
    """Failed background tasks whose error names one of these addresses (a mail server refusing a
    recipient says who). Tasks themselves take only row ids."""
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(traceback__icontains=email)
    return DBTaskResult.objects.failed().filter(condition)


# --- Export ---------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(item: models.Model, *, leave_out: Iterable[str] = ()) -> dict[str, object]:
    skip = set(leave_out)
    return {
        field.name: _plain(getattr(item, field.attname))
        for field in type(item)._meta.concrete_fields
        if field.name not in skip
    }


def _sessions_of(user_ids: Iterable[int]) -> list[Session]:
    """The stored sessions signed in as one of these accounts (read one by one: the login is inside)."""
    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return []
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    return [
        session
        for session in Session.objects.iterator()
        if str(store.decode(session.session_data).get("_auth_user_id")) in wanted
    ]


def _account_row(user: User) -> dict[str, object]:
    language = AdminLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return {
        **_fields(user, leave_out=["password"]),
        "has_a_password": user.has_usable_password(),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {
                **_fields(address, leave_out=["user"]),
                "confirmations_sent": address.emailconfirmation_set.count(),
            }
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "social_accounts": [
            {
                **_fields(social, leave_out=["user"]),
                "tokens_kept": SocialToken.objects.filter(account=social).count(),
            }
            for social in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        # The secrets (TOTP seed, recovery codes, passkey credential) are never written out.
        "second_factors": [
            {**_fields(authenticator, leave_out=["user", "data"]), "name": authenticator.data.get("name")}
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        # The session key is a credential: only when each session ends.
        "sessions": [{"expires": _plain(session.expire_date)} for session in _sessions_of([user.pk])],
        "admin_language": language,
        "exercises_written": list(Exercise.objects.filter(author=user).values_list("title", flat=True)),
        "admin_history": [
            {
                "at": _plain(entry.action_time),
                "what": entry.get_action_flag_display(),
                "object": entry.object_repr,
                "change": entry.get_change_message(),
            }
            for entry in LogEntry.objects.filter(user=user).order_by("action_time", "pk")
        ],
    }


def export(person: Person) -> dict[str, object]:
    """Everything held about ``person``, ready for JSON."""
    return {
        "email_addresses": sorted(person.emails),
        "accounts": [_account_row(user) for user in person.users],
        "comments": comments_privacy.export(*person.emails, user_ids=person.user_ids),
        **classes_privacy.export(*person.emails, user_ids=person.user_ids),
        "bouncing_addresses": [
            _fields(mark, leave_out=["id"])
            for mark in BouncingAddress.objects.of(person.emails).order_by("email")
        ],
        "failed_tasks_naming_you": [
            {"task": task.task_path, "finished_at": _plain(task.finished_at), "error": task.traceback}
            for task in failed_tasks_naming(person.emails).order_by("enqueued_at")
        ],
    }


# --- Erase ----------------------------------------------------------------------


@dataclass
class Erased:
    """What an erase changed (or, in a dry run, would change)."""

    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


def refusal(person: Person, *, allow_staff: bool) -> str:
    """Why ``person`` cannot be erased as asked, or "" when they can."""
    teachers = list(classes_privacy.teacher_profiles(person.emails, user_ids=person.user_ids))
    if teachers:
        names = ", ".join(f'"{teacher.name}"' for teacher in teachers)
        return (
            f"Teacher profile {names} belongs to {person.describe()}. Remove it in the admin "
            "(Teachers) first, deciding what happens to its courses and the messages sent to it; "
            "then run this again."
        )
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True)
    if superusers.exists() and not superusers.exclude(pk__in=person.user_ids).exists():
        return "This would delete the last active superuser: make another one first."
    staff = [user for user in person.users if user.is_staff or user.is_superuser]
    if staff and not allow_staff:
        names = ", ".join(f'"{user.get_username()}"' for user in staff)
        return (
            f"Account {names} is a member of staff: erasing deletes the login and its admin history. "
            "Run again with --staff to do so."
        )
    return ""


def _forget_in_admin_history(model: type[models.Model], names: dict[int, str]) -> None:
    """Admin history entries about these rows stop showing who they were about (``names``: pk → new name)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    for pk, name in names.items():
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(object_repr=name[:200])


def erase(person: Person, *, allow_staff: bool = False, dry_run: bool = False) -> Erased:
    """Remove everything held about ``person``; touch nothing of anyone else.

    Comments are anonymised (``comments.privacy.erase``), messages to teachers
    course alerts and place requests deleted (``classes.privacy.erase``), and each account
    deleted with its addresses, provider accounts, second factors, sessions
    and admin language. Admin history entries about what was erased lose the
    name they showed. ``dry_run`` does all of it in a transaction that is
    rolled back, so the counts are exact and nothing changes.
    """
    reason = refusal(person, allow_staff=allow_staff)
    if reason:
        raise Refused(reason)
    counts: dict[str, int] = {}
    with transaction.atomic():
        comments = list(
            comments_privacy.matching(person.emails, user_ids=person.user_ids).values_list("pk", flat=True)
        )
        enquiries = list(classes_privacy.enquiries(person.emails).values_list("pk", flat=True))
        alerts = list(classes_privacy.alert_signups(person.emails).values_list("pk", flat=True))
        places = list(classes_privacy.place_requests(person.emails).values_list("pk", flat=True))
        erased_comments = comments_privacy.erase(*person.emails, user_ids=person.user_ids)
        counts["comments"] = erased_comments["comments"]
        counts["comment_history_emptied"] = erased_comments["history_emptied"]
        erased_classes = classes_privacy.erase(*person.emails)
        counts["enquiries"] = erased_classes["enquiries_deleted"]
        counts["course_alerts"] = erased_classes["course_alerts_deleted"]
        counts["place_requests"] = erased_classes["place_requests_deleted"]
        _forget_in_admin_history(
            Comment, {comment.pk: str(comment) for comment in Comment.objects.filter(pk__in=comments)}
        )
        _forget_in_admin_history(Enquiry, dict.fromkeys(enquiries, ERASED_NAME))
        _forget_in_admin_history(AlertSubscription, dict.fromkeys(alerts, ERASED_NAME))
        _forget_in_admin_history(Booking, dict.fromkeys(places, ERASED_NAME))
        counts["failed_tasks"], _ = failed_tasks_naming(person.emails).delete()
        counts["bouncing_addresses"], _ = BouncingAddress.objects.of(person.emails).delete()
        counts.update(_erase_accounts(person, dry_run=dry_run))
        if dry_run:
            transaction.set_rollback(True)
    return Erased(counts=counts, dry_run=dry_run)


def _erase_accounts(person: Person, *, dry_run: bool) -> dict[str, int]:
    user_ids = person.user_ids
    counts = {
        "accounts": len(user_ids),
        "account_email_addresses": EmailAddress.objects.filter(user_id__in=user_ids).count(),
        "social_accounts": SocialAccount.objects.filter(user_id__in=user_ids).count(),
        "second_factors": Authenticator.objects.filter(user_id__in=user_ids).count(),
    }
    sessions = _sessions_of(user_ids)
    counts["sessions"] = len(sessions)
    if not dry_run:
        # Through the session engine, so a cached copy of a session goes too.
        engine = import_module(settings.SESSION_ENGINE)
        for session in sessions:
            engine.SessionStore(session_key=session.session_key).delete()
    for model in (get_user_model(), EmailAddress, SocialAccount, Authenticator):
        pks = model.objects.filter(
            **({"pk__in": user_ids} if model is get_user_model() else {"user_id__in": user_ids})
        )
        _forget_in_admin_history(model, dict.fromkeys(pks.values_list("pk", flat=True), ERASED_NAME))
    # Deleting the account takes its addresses, provider accounts and tokens, second factors,
    # admin language and admin history with it; comments, their history and exercises keep
    # their rows with the link cut.
    get_user_model().objects.filter(pk__in=user_ids).delete()
    return counts
