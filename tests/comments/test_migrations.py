"""The data migration that moved Comment.spam_verdict onto the intake's ``Verdict`` choices."""

import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import comments
from comments.models import Comment
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def verdict_migration():
    """The migration module and the models as it sees them, found by name (the lead may renumber it)."""
    [path] = Path(comments.__file__).parent.glob("migrations/*_spam_verdict_uses_intake_verdict.py")
    module = importlib.import_module(f"comments.migrations.{path.stem}")
    state = MigrationExecutor(connection).loader.project_state(("comments", path.stem))
    return module, state.apps


def test_unchecked_comments_written_before_read_as_pending_after_and_back_again(exercise):
    unchecked, ham, spam = (CommentFactory(on=exercise, pending=True) for _ in range(3))
    # As the old code stored them: "" for no verdict yet.
    Comment.objects.filter(pk=unchecked.pk).update(spam_verdict="")
    Comment.objects.filter(pk=ham.pk).update(spam_verdict="ham")
    Comment.objects.filter(pk=spam.pk).update(spam_verdict="spam")
    module, apps = verdict_migration()

    module.pending_is_a_word(apps, None)
    stored = dict(Comment.objects.values_list("pk", "spam_verdict"))
    assert stored == {unchecked.pk: "pending", ham.pk: "ham", spam.pk: "spam"}
    assert Comment.objects.get(pk=unchecked.pk).get_spam_verdict_display() == "Not checked yet"

    module.pending_is_empty_again(apps, None)
    stored = dict(Comment.objects.values_list("pk", "spam_verdict"))
    assert stored == {unchecked.pk: "", ham.pk: "ham", spam.pk: "spam"}
