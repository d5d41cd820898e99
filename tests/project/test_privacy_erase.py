"""Data requests for a whole person (backcare/privacy.py): erase leaves nothing of them and touches
nobody else, refuses staff, the last superuser and teachers, and can be a dry run."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.core.management.base import CommandError

from accounts.models import AdminLanguage
from classes.models import Enquiry, PendingAlert
from comments.models import Comment, CommentEvent
from mailing.models import BouncingAddress
from tests.classes.factories import TeacherFactory
from tests.factories import UserFactory
from tests.project.privacy_helpers import SIGN, erase, everything_stored, signed_in_sessions, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


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
