"""Retention and data requests: purge, export and erase."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments import privacy
from comments.models import Comment, CommentEvent
from tests.factories import UserFactory

from .factories import CommentFactory, reply_to

pytestmark = pytest.mark.django_db

SIGN = "numbness in the saddle area"


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def test_ip_and_browser_are_cleared_after_sixty_days(exercise):
    old = CommentFactory(on=exercise, submitted_at=days_ago(61))
    recent = CommentFactory(on=exercise, submitted_at=days_ago(59))
    call_command("purge_comment_data")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.user_agent) == (None, "")
    assert recent.ip == "192.0.2.10"


def test_spam_is_deleted_after_fifteen_days(exercise):
    old = CommentFactory(on=exercise, spam=True, submitted_at=days_ago(16))
    recent = CommentFactory(on=exercise, spam=True, submitted_at=days_ago(14))
    privacy.purge()
    assert list(Comment.objects.all()) == [recent]
    assert not Comment.objects.filter(pk=old.pk).exists()


def test_blatant_spam_is_deleted_after_one_day(exercise):
    CommentFactory(on=exercise, spam=True, is_discard=True, submitted_at=days_ago(1.1))
    privacy.purge()
    assert Comment.objects.count() == 0


def test_approved_comments_are_never_purged(exercise):
    CommentFactory(on=exercise, submitted_at=days_ago(400))
    privacy.purge()
    assert Comment.objects.count() == 1


def test_old_spam_with_replies_is_emptied_so_the_replies_stay(exercise):
    parent = CommentFactory(on=exercise, submitted_at=days_ago(20))
    reply = reply_to(parent)
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.SPAM)
    privacy.purge()
    parent.refresh_from_db()
    assert (parent.text, parent.email) == ("", privacy.ERASED_EMAIL)
    assert Comment.objects.filter(pk=reply.pk).exists()


def test_export_prints_everything_stored_for_an_email_as_json(exercise, capsys):
    CommentFactory(on=exercise, email="gwen@example.org", text="my question")
    CommentFactory(on=exercise, email="someone@example.org")
    call_command("export_commenter_data", "GWEN@example.org")
    data = json.loads(capsys.readouterr().out)
    assert [row["comment"] for row in data["comments"]] == ["my question"]
    assert data["comments"][0]["ip_address"] == "192.0.2.10"


def test_erase_anonymises_name_email_website_and_truncates_the_ip(exercise):
    comment = CommentFactory(
        on=exercise, email="gwen@example.org", name="Gwen", url="https://gwen.example.org"
    )
    other = CommentFactory(on=exercise)
    call_command("erase_commenter_data", "gwen@example.org")
    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.name, comment.email, comment.url) == ("(removed)", "erased@invalid", "")
    assert comment.ip == "192.0.2.0"
    assert comment.events.filter(kind="erased").exists()
    assert other.name.startswith("Reader")


def test_ipv6_addresses_are_truncated_to_the_network():
    assert privacy.truncate_ip("2001:db8:1234:5678::1") == "2001:db8:1234::"


# --- Data requests by sign-in account, and everything a comment records ---------------


def test_export_by_account_includes_comments_typed_under_another_address(exercise):
    account = UserFactory(username="rhian", email="rhian@example.org")
    typed_elsewhere = CommentFactory(on=exercise, email="other@example.net", user=account)
    CommentFactory(on=exercise, email="other@example.net")
    rows = privacy.export("rhian@example.org", user_ids=[account.pk])
    assert [row["id"] for row in rows] == [typed_elsewhere.pk]
    assert rows[0]["signed_in_as"] == account.pk


def test_export_includes_the_hold_reasons_and_the_warning_signs_matched(exercise):
    comment = CommentFactory(
        on=exercise,
        email="gwen@example.org",
        pending=True,
        held_reason="first comment",
        guard_reason="too fast",
    )
    CommentEvent.objects.record(comment, CommentEvent.Kind.HELD, reason="warning signs", signs=[SIGN])
    (row,) = privacy.export("gwen@example.org")
    assert (row["held_reason"], row["guard_reason"], row["language"]) == (
        "first comment",
        "too fast",
        "en-gb",
    )
    assert row["history"] == [
        {
            "at": row["history"][0]["at"],
            "what": "held",
            "by": None,
            "detail": {
                "reason": "warning signs",
                "signs": [SIGN],
            },
        }
    ]


def test_erase_by_account_anonymises_comments_under_another_address_and_cuts_the_link(exercise):
    account = UserFactory(username="rhian", email="rhian@example.org")
    typed_elsewhere = CommentFactory(on=exercise, name="Rhian", email="other@example.net", user=account)
    stranger = CommentFactory(on=exercise, name="Stranger", email="other@example.net")
    assert privacy.erase(user_ids=[account.pk])["comments"] == 1
    typed_elsewhere.refresh_from_db()
    stranger.refresh_from_db()
    assert (typed_elsewhere.name, typed_elsewhere.email, typed_elsewhere.user_id) == (
        "(removed)",
        "erased@invalid",
        None,
    )
    assert typed_elsewhere.ip == "192.0.2.0"
    assert (stranger.name, stranger.email) == ("Stranger", "other@example.net")


def test_erase_empties_hold_reasons_and_warning_sign_matches_but_keeps_what_happened(exercise):
    comment = CommentFactory(
        on=exercise,
        email="gwen@example.org",
        pending=True,
        held_reason="warning signs",
        guard_reason="too fast",
    )
    CommentEvent.objects.record(comment, CommentEvent.Kind.HELD, reason="warning signs", signs=[SIGN])
    other = CommentFactory(on=exercise, pending=True)
    CommentEvent.objects.record(other, CommentEvent.Kind.HELD, signs=[SIGN])
    privacy.erase("gwen@example.org")
    comment.refresh_from_db()
    assert (comment.held_reason, comment.guard_reason) == ("", "")
    assert [(e.kind, e.detail) for e in comment.events.all()] == [("held", {}), ("erased", {})]
    assert other.events.get().detail == {"signs": [SIGN]}


def test_erase_keeps_the_account_link_of_other_people_comments(exercise):
    account = UserFactory(username="rhian")
    someone = UserFactory(username="someone")
    theirs = CommentFactory(on=exercise, user=someone)
    CommentEvent.objects.record(theirs, CommentEvent.Kind.POSTED, actor=someone)
    privacy.erase(user_ids=[account.pk])
    theirs.refresh_from_db()
    assert theirs.user_id == someone.pk
    assert theirs.events.get().actor_id == someone.pk
